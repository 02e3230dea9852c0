import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ImageTagsResult } from '@modelarts-kit/client';
import { csvLine } from './csv.js';
import { describeFileError } from './id-input.js';
import { InputError } from './read-ids.js';
import type { CliIo } from './run-cli.js';
import { printable, printableInline } from '../shared/printable.js';

/**
 * Missing and failed image IDs: counted on stderr with the first few, and
 * written in full to the files the user asked for (--missing-out,
 * --failed-out), so a million unknown IDs do not flood the terminal.
 */
export interface IncompleteFiles {
  /** One missing ID per line. */
  missingOut?: string | undefined;
  /** CSV: image_id,error,status,error_code,request_id,message (readable again with --file). */
  failedOut?: string | undefined;
}

/** What is missing or failed: an ImageTagsResult, or the lists a streamed command kept. */
export type IncompleteLists = Pick<ImageTagsResult, 'missing' | 'failed'>;

/** IDs shown on stderr per list; the rest is counted. */
export const LISTED_IDS = 10;
/** Distinct failure messages shown on stderr; the rest is counted. */
const LISTED_ERRORS = 5;

const NAME = 'modelarts-tags';

/** Writes the files asked for (always, empty when nothing is missing or failed, so none is left stale). Throws InputError when one cannot be written. */
export async function writeIncompleteFiles(result: IncompleteLists, files: IncompleteFiles, io: CliIo): Promise<void> {
  if (files.missingOut !== undefined) {
    await writeList(files.missingOut, '--missing-out', io, result.missing.map((id) => `${id}\n`).join(''));
  }
  if (files.failedOut !== undefined) {
    const header = `${csvLine(['image_id', 'error', 'status', 'error_code', 'request_id', 'message'])}\n`;
    const rows = result.failed.map(
      ({ imageId, error }) => `${csvLine([imageId, error.name, error.status, error.errorCode, error.requestId, error.message])}\n`,
    );
    await writeList(files.failedOut, '--failed-out', io, header + rows.join(''));
  }
}

async function writeList(path: string, flag: string, io: CliIo, text: string): Promise<void> {
  const target = resolve(io.cwd, path);
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  } catch (error) {
    throw new InputError(`Cannot write ${flag} ${printableInline(path)}: ${describeFileError(error)}`);
  }
}

/** Missing and failed IDs on stderr, each list counted and cut to its first few; whether there were any. */
export function reportIncomplete(result: IncompleteLists, annotationId: string, io: CliIo, files: IncompleteFiles = {}): boolean {
  const lines: string[] = [];
  if (result.missing.length > 0) {
    const where = files.missingOut === undefined ? '' : ` (all written to ${printableInline(files.missingOut)})`;
    lines.push(`${NAME}: ${count(result.missing.length)} image ID(s) not found in job ${annotationId}${where}:`);
    lines.push(...listed(result.missing, files.missingOut === undefined ? '--missing-out FILE' : undefined));
  }
  if (result.failed.length > 0) {
    const groups = new Map<string, string[]>();
    for (const { imageId, error } of result.failed) {
      const key = `${error.name}: ${error.message}`;
      const ids = groups.get(key);
      if (ids) ids.push(imageId);
      else groups.set(key, [imageId]);
    }
    const where = files.failedOut === undefined ? '' : ` (all written to ${printableInline(files.failedOut)})`;
    if (groups.size > 1 || where) lines.push(`${NAME}: ${count(result.failed.length)} image ID(s) failed${where}`);
    let shown = 0;
    for (const [message, ids] of groups) {
      if (shown === LISTED_ERRORS) {
        const rest = result.failed.length - [...groups.values()].slice(0, LISTED_ERRORS).reduce((sum, list) => sum + list.length, 0);
        lines.push(`${NAME}: ... and ${count(rest)} more image ID(s) failed with ${count(groups.size - LISTED_ERRORS)} other error(s)`);
        break;
      }
      lines.push(`${NAME}: ${count(ids.length)} image ID(s) failed: ${message}`);
      lines.push(...listed(ids, files.failedOut === undefined ? '--failed-out FILE' : undefined));
      shown++;
    }
  }
  if (lines.length > 0) io.stderr.write(`${lines.map(printable).join('\n')}\n`);
  return result.missing.length > 0 || result.failed.length > 0;
}

function listed(ids: readonly string[], option: string | undefined): string[] {
  const lines = ids.slice(0, LISTED_IDS).map((id) => `  ${printableInline(id)}`);
  if (ids.length > LISTED_IDS) {
    lines.push(`  ... and ${count(ids.length - LISTED_IDS)} more${option ? ` (${option} writes them all)` : ''}`);
  }
  return lines;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
