import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

const start = (argv: string[]) => {
  const command = parseCliArgs(argv);
  if (command.kind !== 'start') throw new Error('expected a start command');
  return command.options;
};

describe('parseCliArgs', () => {
  it('leaves every option to its default when no flag is given', () => {
    expect(start([])).toEqual({});
  });

  it('reads the server flags', () => {
    expect(
      start([
        '--port',
        '8080',
        '--host',
        '0.0.0.0',
        '--project',
        'p1',
        '--seed',
        '9',
        '--images',
        '100',
        '--body-limit',
        '1024',
        '--request-timeout',
        '5000',
      ]),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      projectId: 'p1',
      seed: 9,
      imagesPerJob: 100,
      bodyLimitBytes: 1024,
      requestTimeoutMs: 5000,
    });
  });

  it('collects repeated tokens and AK/SK pairs in order', () => {
    expect(start(['--token', 't1', '--token', 't2', '--ak', 'A1', '--sk', 'S1', '--ak', 'A2', '--sk', 'S2'])).toEqual({
      tokens: ['t1', 't2'],
      keys: [
        { accessKey: 'A1', secretKey: 'S1' },
        { accessKey: 'A2', secretKey: 'S2' },
      ],
    });
  });

  it('reads the fault flags', () => {
    expect(
      start([
        '--fault-rate',
        '0.1',
        '--fault-kinds',
        '429,reset',
        '--fault-seed',
        '4',
        '--fault-delay-ms',
        '2000',
        '--retry-after',
        '0',
        '--max-batch-size',
        '100',
        '--fault-sequence',
        '503,ok,delay',
      ]),
    ).toEqual({
      faults: {
        rate: 0.1,
        kinds: ['429', 'reset'],
        seed: 4,
        delayMs: 2000,
        retryAfterSeconds: 0,
        maxBatchSize: 100,
        sequence: ['503', null, 'delay'],
      },
    });
  });

  it('merges --faults JSON under the individual flags', () => {
    expect(start(['--faults', '{"rate":0.5,"jobs":{"287":{"rate":1}}}', '--fault-rate', '0.2'])).toEqual({
      faults: { rate: 0.2, jobs: { '287': { rate: 1 } } },
    });
  });

  it('recognises --help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--port', 'abc'], /--port must be an integer/],
    [['--fault-rate', 'lots'], /--fault-rate must be a number/],
    [['--fault-kinds', '429,teapot'], /unknown fault kind 'teapot'/],
    [['--fault-sequence', '429,,500'], /neither 'ok' nor a fault kind/],
    [['--faults', '{oops'], /--faults is not valid JSON/],
    [['--faults', '[1]'], /--faults must be a JSON object/],
    [['--ak', 'A1'], /--ak and --sk must be given the same number of times/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('never quotes a secret in its errors', () => {
    const secret = 'sk-sentinel-0123456789';
    for (const argv of [
      ['--ak', 'A1', '--sk', secret, '--sk', secret],
      ['--sk', secret, '--port', 'x'],
      ['--token', secret, '--faults', `{"${secret}"`],
    ]) {
      expect(() => parseCliArgs(argv)).toThrow();
      try {
        parseCliArgs(argv);
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
      }
    }
  });
});
