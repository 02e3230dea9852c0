import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from './args.js';

describe('parseCommandLine', () => {
  it('parses get with IDs and every option', () => {
    const command = parseCommandLine([
      'get',
      '287',
      'a',
      'b',
      '--format',
      'csv',
      '--report',
      'r.html',
      '--batch-size',
      '50',
      '--concurrency',
      '4',
      '-q',
      '--endpoint',
      'https://example.test',
      '--region',
      'cn-north-4',
      '--project-id',
      'p1',
    ]);
    expect(command).toEqual({
      kind: 'get',
      annotationId: '287',
      imageIds: ['a', 'b'],
      file: undefined,
      column: undefined,
      format: 'csv',
      report: 'r.html',
      batchSize: 50,
      concurrency: 4,
      quiet: true,
      endpoint: 'https://example.test',
      region: 'cn-north-4',
      projectId: 'p1',
      all: false,
      untagged: false,
    });
  });

  it('reads --all with its selection, and refuses IDs or a selection without it', () => {
    expect(parseCommandLine(['get', '287', '--all', '--tag', 'car', '--per-page', '20'])).toMatchObject({
      all: true,
      tag: 'car',
      perPage: 20,
    });
    expect(() => parseCommandLine(['get', '287', '--all', 'abc'])).toThrow('give no image IDs');
    expect(() => parseCommandLine(['get', '287', '--tag', 'car'])).toThrow('add --all');
    expect(() => parseCommandLine(['get', '287', '--all', '--tag', 'car', '--untagged'])).toThrow('either --tag or --untagged');
    expect(() => parseCommandLine(['get', '287', '--all', '--per-page', '101'])).toThrow('1 to 100');
  });

  it('leaves the format open so the caller can pick one for the terminal', () => {
    expect(parseCommandLine(['get', '1', '-f', 'ids.csv', '-c', 'id'])).toMatchObject({ format: undefined, file: 'ids.csv', column: 'id' });
  });

  it('answers help and version', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['get', '-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-V'])).toEqual({ kind: 'version' });
  });

  it.each([
    [[], /No command given/],
    [['show', '1'], /Unknown command "show"/],
    [['get'], /annotation job ID is missing/],
    [['get', '1', 'a', '--file', 'x'], /either as arguments or with --file/],
    [['get', '1', '--format', 'yaml'], /--format must be one of table, json, ndjson, csv/],
    [['get', '1', '--batch-size', '1.5'], /--batch-size must be a whole number/],
    [['get', '1', '--concurrency', '0'], /--concurrency must be a whole number of at least 1/],
    [['get', '1', '--colour'], /Unknown option '--colour'/],
    [['get', '1', '--region', ' '], /--region is empty/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCommandLine(argv as string[])).toThrow(UsageError);
    expect(() => parseCommandLine(argv as string[])).toThrow(message);
  });
});
