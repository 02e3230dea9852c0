import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { assertAnnotationId, InputValidationError, normalizeImageIds } from '@modelarts-kit/client/core';
import type { GetCommand } from './args.js';
import { readLines } from './input-stream.js';
import { idsFromArguments, IdCollector, InputError, type IdList } from './read-ids.js';
import type { CliIo } from './run-cli.js';
import { printableInline } from '../shared/printable.js';

/** Where a command's image IDs come from. */
export type IdSource = Pick<GetCommand, 'imageIds' | 'file' | 'column' | 'annotationId'>;

/** The image IDs of the arguments, of --file or of stdin, read as a stream. Throws InputError for anything the user must fix. */
export async function readIds(command: IdSource, io: CliIo): Promise<IdList> {
  if (command.imageIds.length > 0) {
    if (command.column !== undefined) throw new InputError('--column applies to --file or stdin, not to IDs given as arguments');
    return idsFromArguments(command.imageIds);
  }
  const fromFile = command.file !== undefined && command.file !== '-';
  if (!fromFile && io.stdin.isTTY && command.file === undefined) {
    throw new InputError(
      `No image IDs given. Pass them as arguments, with --file ids.txt (or a CSV file), or pipe them in: cat ids.txt | modelarts-tags get ${command.annotationId}`,
    );
  }
  const source = fromFile ? printableInline(command.file!) : 'stdin';
  const collector = new IdCollector({ source, column: command.column, csv: fromFile && /\.csv$/i.test(command.file!) });
  const onLine = (text: string, lineNumber: number): void => collector.line(text, lineNumber);
  if (fromFile) await readFileLines(command.file!, '--file', io, onLine);
  else await readLines(io.stdin, source, onLine);
  const list = collector.end();
  if (list.ids.length === 0) {
    throw new InputError(`No image IDs found in ${source}: expected one ID per line, or a CSV column of IDs`);
  }
  return list;
}

/** The job ID checked by the client's own rule, before anything is read or started. Throws InputError. */
export function checkAnnotationId(annotationId: string): string {
  return asInputError(() => assertAnnotationId(annotationId));
}

/**
 * The IDs checked by the client's own rule (trimmed, repeats dropped), each
 * problem named by its file and line; the client does not check them again.
 */
export function checkIds(list: IdList): readonly string[] {
  return asInputError(() => normalizeImageIds(list.ids, (index) => `${list.origins[index]}: image ID`));
}

function asInputError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InputValidationError) throw new InputError(error.message);
    throw error;
  }
}

/** The whole text of a small input file (a name mapping, a tag list), read with the same checks as an ID list. */
export async function readTextFile(path: string, flag: string, io: CliIo): Promise<string> {
  const lines: string[] = [];
  await readFileLines(path, flag, io, (text) => lines.push(text));
  return lines.join('\n');
}

/** Calls `onLine` with each line of a file, read as a stream with the limits and encoding checks of ID lists. Throws InputError. */
export async function readFileLines(
  path: string,
  flag: string,
  io: CliIo,
  onLine: (text: string, lineNumber: number) => void,
): Promise<void> {
  const shown = printableInline(path);
  let handle;
  try {
    handle = await open(resolve(io.cwd, path), 'r');
  } catch (error) {
    throw new InputError(`Cannot read ${flag} ${shown}: ${describeFileError(error)}`);
  }
  const stream = handle.createReadStream({ highWaterMark: 64 * 1024 });
  try {
    await readLines(stream, shown, onLine);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`Cannot read ${flag} ${shown}: ${describeFileError(error)}`);
  } finally {
    stream.destroy();
  }
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'an input/output error',
};

/** A reason for a person: a known cause in words, else the error's code or message; never "undefined". */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return FILE_ERRORS[code] ?? code;
  const message = error instanceof Error ? error.message : String(error);
  return printableInline(message.slice(0, 200)) || 'an unknown error';
}
