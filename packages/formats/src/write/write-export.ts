// Why one long file: the temp-name-then-rename protocol for files, folders and ZIPs and its clean-up on
// failure are one piece of logic.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isSingleFileFormat, type ExportReport, type LabelExport } from '../export.js';
import type { ExportFile } from '../types.js';
import { ZipWriter } from './zip.js';

/** The output cannot be written (it exists, or the place is not writable); the message says which and why. */
export class OutputError extends Error {
  override name = 'OutputError';
  /** `exists`: allowing overwriting would replace it; `unwritable`: the place cannot be written. */
  constructor(
    message: string,
    readonly reason: 'exists' | 'unwritable' = 'unwritable',
  ) {
    super(message);
  }
}

export interface WriteOptions {
  /** Replace an existing output (the old one stays in place until the new one is complete). */
  overwrite?: boolean;
  /** Stops the export; what was written so far is removed. */
  signal?: AbortSignal;
  /** Timestamps of ZIP entries; default now. */
  modified?: Date;
}

export interface WriteResult {
  /** Absolute path of what was written. */
  path: string;
  kind: 'file' | 'folder' | 'zip';
  files: number;
  bytes: number;
  report: ExportReport;
}

/**
 * Writes an export to `out`: a ZIP file when it ends in `.zip`, one file for the single-file formats
 * (COCO, CSV, JSON Lines; a manifest when `out` ends in `.manifest`), else a folder. Everything is
 * written under a temporary name beside `out` (`.<name>.partial-<random>`) and renamed into place
 * when complete, so an interrupted export never leaves a complete-looking result; on failure the
 * temporary output is removed.
 */
export async function writeExport(exported: LabelExport, out: string, options: WriteOptions = {}): Promise<WriteResult> {
  const target = resolve(out);
  const kind = /\.zip$/i.test(target)
    ? 'zip'
    : isSingleFileFormat(exported.format) || (exported.format === 'manifest' && /\.manifest$/i.test(target))
      ? 'file'
      : 'folder';
  await checkTarget(target, kind, options.overwrite === true);
  const temp = join(dirname(target), `.${basename(target)}.partial-${randomBytes(4).toString('hex')}`);
  const counts = { files: 0, bytes: 0 };
  try {
    if (kind === 'folder') await writeFolder(exported, temp, counts, options.signal);
    else await writeStreamed(exported, temp, kind, counts, options);
    await moveIntoPlace(temp, target, kind);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw toOutputError(error, out);
  }
  return { path: target, kind, ...counts, report: exported.report() };
}

async function checkTarget(target: string, kind: WriteResult['kind'], overwrite: boolean): Promise<void> {
  let existing;
  try {
    existing = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      await ensureParent(target);
      return;
    }
    throw toOutputError(error, target);
  }
  if (kind === 'folder' && existing.isDirectory()) {
    if ((await readdir(target)).length === 0 || overwrite) return;
    throw new OutputError(`${target} is a folder that is not empty; choose another output or allow overwriting`, 'exists');
  }
  if (kind === 'folder') throw new OutputError(`${target} exists and is not a folder`);
  if (existing.isDirectory()) throw new OutputError(`${target} is a folder; give a file name${kind === 'zip' ? ' ending in .zip' : ''}`);
  if (!overwrite) throw new OutputError(`${target} exists; choose another output or allow overwriting`, 'exists');
}

async function ensureParent(target: string): Promise<void> {
  try {
    await mkdir(dirname(target), { recursive: true });
  } catch (error) {
    throw toOutputError(error, dirname(target));
  }
}

/** Small files in flight at once: one at a time, a folder of 100,000 label files takes minutes. */
const PARALLEL_WRITES = 32;

async function writeFolder(
  exported: LabelExport,
  temp: string,
  counts: { files: number; bytes: number },
  signal: AbortSignal | undefined,
): Promise<void> {
  await mkdir(temp);
  const made = new Set<string>(['.']);
  const pending = new Set<Promise<void>>();
  let failure: unknown;
  const track = (write: Promise<void>): void => {
    const tracked = write.then(
      () => void pending.delete(tracked),
      (error: unknown) => {
        pending.delete(tracked);
        failure ??= error;
      },
    );
    pending.add(tracked);
  };
  try {
    for await (const file of exported.files()) {
      signal?.throwIfAborted();
      if (failure) throw failure;
      const folder = dirname(file.path);
      if (!made.has(folder)) {
        await mkdir(join(temp, folder), { recursive: true });
        made.add(folder);
      }
      const path = join(temp, file.path);
      if (typeof file.content === 'string') {
        counts.bytes += Buffer.byteLength(file.content);
        track(writeFile(path, file.content, { flag: 'wx' }));
        if (pending.size >= PARALLEL_WRITES) await Promise.race(pending);
      } else {
        counts.bytes += await streamToFile(path, file.content, signal);
      }
      counts.files++;
    }
  } finally {
    await Promise.all(pending);
  }
  if (failure) throw failure;
}

async function writeStreamed(
  exported: LabelExport,
  temp: string,
  kind: 'zip' | 'file',
  counts: { files: number; bytes: number },
  options: WriteOptions,
): Promise<void> {
  const stream = createWriteStream(temp, { flags: 'wx' });
  await opened(stream);
  const write = (bytes: Uint8Array | string): Promise<void> => writeTo(stream, bytes);
  try {
    if (kind === 'zip') {
      const zip = new ZipWriter(async (bytes) => {
        counts.bytes += bytes.length;
        await write(bytes);
      }, options.modified);
      for await (const file of exported.files()) {
        options.signal?.throwIfAborted();
        if (typeof file.content === 'string') await zip.addFile(file.path, Buffer.from(file.content, 'utf8'));
        else await zip.addStream(file.path, utf8(file.content, options.signal));
        counts.files++;
      }
      await zip.finish();
    } else {
      for await (const file of exported.files()) {
        if (counts.files > 0 || file.path.includes('/')) {
          throw new OutputError(
            `this ${exported.format} export holds several files (such as ${file.path}); give a folder or a .zip as the output`,
          );
        }
        counts.files++;
        for await (const chunk of typeof file.content === 'string' ? [file.content] : file.content) {
          options.signal?.throwIfAborted();
          counts.bytes += Buffer.byteLength(chunk);
          await write(chunk);
        }
      }
    }
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
  } finally {
    stream.destroy();
  }
}

async function* utf8(chunks: AsyncIterable<string> | Iterable<string>, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    yield Buffer.from(chunk, 'utf8');
  }
}

async function streamToFile(
  path: string,
  chunks: AsyncIterable<string> | Iterable<string>,
  signal: AbortSignal | undefined,
): Promise<number> {
  const stream = createWriteStream(path, { flags: 'wx' });
  await opened(stream);
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      bytes += Buffer.byteLength(chunk);
      await writeTo(stream, chunk);
    }
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
  } finally {
    stream.destroy();
  }
  return bytes;
}

function opened(stream: WriteStream): Promise<void> {
  return new Promise((done, fail) => {
    stream.once('open', () => done());
    stream.once('error', fail);
  });
}

function writeTo(stream: WriteStream, bytes: Uint8Array | string): Promise<void> {
  return new Promise((done, fail) => {
    if (stream.errored) {
      fail(stream.errored);
      return;
    }
    const ok = stream.write(bytes, (error) => {
      if (error) fail(error);
      else if (ok) done();
    });
    if (!ok) stream.once('drain', () => done());
  });
}

/** Renames the finished output into place; an existing one is moved aside first and removed after. */
async function moveIntoPlace(temp: string, target: string, kind: WriteResult['kind']): Promise<void> {
  if (kind !== 'folder') {
    await rename(temp, target); // replaces a file atomically
    return;
  }
  let aside: string | undefined;
  try {
    await stat(target);
    aside = `${temp}.old`;
    await rename(target, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(temp, target);
  if (aside) await rm(aside, { recursive: true, force: true });
}

function toOutputError(error: unknown, out: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'it exists',
  };
  if (code && reasons[code]) return new OutputError(`cannot write ${out}: ${reasons[code]}`);
  return error;
}

export type { ExportFile };
