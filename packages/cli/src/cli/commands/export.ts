import { resolve } from 'node:path';
import { ModelArtsError, type ModelArtsClient } from '@modelarts-kit/client';
import {
  ClassListError,
  DuplicateFileNameError,
  EXPORT_FORMATS,
  exportLabels,
  isExportFormat,
  NameMappingError,
  OutputError,
  writeExport,
  type ExportFormat,
  type WriteResult,
} from '@modelarts-kit/formats';
import { ProgressBar } from '../progress-bar.js';
import { formatBytes } from '../report-file.js';
import type { CliIo } from '../run-cli.js';
import {
  CommandError,
  fail,
  fetchJobImages,
  JOB_IMAGES_OPTIONS,
  jobImagesFlags,
  NAME,
  parseCommand,
  preview,
  readNameList,
  reportIncomplete,
  type JobImagesFlags,
} from './job-images.js';

export const EXPORT_USAGE = `Usage: ${NAME} export <annotationId> [imageId ... | --all] --format FORMAT --out PATH [options]

Fetches the tags of images of a job and writes them in a training format.

  --all                    every image of the job (tagged and untagged), listed by the service:
                           no IDs needed

  --format FORMAT          ${EXPORT_FORMATS.join(', ')}
  --out PATH               a folder, a file (coco, csv, jsonl; a manifest ending in .manifest),
                           or a ZIP file when PATH ends in .zip
  --names FILE             CSV image_id,file_name (or an OBS URI): file names of the images;
                           with no IDs given, the images of this file are exported
  --classes FILE           the class order of coco and yolo, one tag per line (default: the job's
                           tag list from the service; the tags found, sorted, if it has none)
  --rows image|box         csv and jsonl: one row per image (default) or per box
  --annotation-location P  manifest: prefix of annotation-loc, e.g. s3://bucket/Annotations/
  --overwrite              replace an existing output
  Image IDs, connection, -q, --missing-out and --failed-out as for "${NAME} get" (see --help).

Exit status: 0 written, 2 written but some IDs were missing or failed, 1 nothing written.
Anything the format could not hold is listed on stderr with counts and image IDs.
`;

interface ExportCommand extends JobImagesFlags {
  format: ExportFormat;
  out: string;
  classes: string | undefined;
  rows: 'image' | 'box';
  annotationLocation: string | undefined;
  overwrite: boolean;
}

function buildExport(values: Record<string, string | boolean | undefined>, positionals: string[]): ExportCommand {
  const flags = jobImagesFlags(values, positionals, 'export');
  const { format, out, rows, classes } = values as Record<string, string | undefined>;
  if (format === undefined) throw new CommandError(`--format is required: one of ${EXPORT_FORMATS.join(', ')}`);
  if (!isExportFormat(format)) throw new CommandError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${format}"`);
  if (out === undefined || out.trim() === '') throw new CommandError('--out is required: a folder, a file, or a .zip file');
  if (rows !== undefined && rows !== 'image' && rows !== 'box') throw new CommandError(`--rows must be image or box, not "${rows}"`);
  return {
    ...flags,
    format,
    out,
    classes,
    rows: rows ?? 'image',
    annotationLocation: values['annotation-location'] as string | undefined,
    overwrite: values.overwrite === true,
  };
}

/** `modelarts-tags export`: the exit status. */
export async function runExport(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand(argv, io, {
    name: 'export',
    usage: EXPORT_USAGE,
    options: {
      ...JOB_IMAGES_OPTIONS,
      format: { type: 'string' },
      out: { type: 'string', short: 'o' },
      classes: { type: 'string' },
      rows: { type: 'string' },
      'annotation-location': { type: 'string' },
      overwrite: { type: 'boolean' },
    },
    build: buildExport,
  });
  if (typeof command === 'number') return command;

  let classes: string[] | undefined;
  let job;
  try {
    if (command.classes !== undefined) classes = await readNameList(command.classes, io, '--classes');
    job = await fetchJobImages(command, io);
  } catch (error) {
    if (error instanceof CommandError) return fail(io, error.message);
    throw error;
  }
  const { result, names, target } = job;
  if (classes === undefined && (command.format === 'coco' || command.format === 'yolo'))
    classes = await jobTagList(target.client, command.annotationId);
  await target.close();
  const blocking = result.images.length === 0 && result.failed[0];
  if (blocking) return fail(io, `${blocking.error.message}; nothing was written. Requests went to ${target.description}`);
  if (result.jobType === 'classification' && (command.format === 'coco' || command.format === 'voc' || command.format === 'yolo')) {
    return fail(
      io,
      `job ${command.annotationId} is an image classification job; ${command.format} holds object detection boxes. Use manifest, csv or jsonl`,
    );
  }

  const showProgress = !command.quiet && io.stderr.isTTY === true;
  const progress = showProgress ? new ProgressBar({ stream: io.stderr }) : undefined;
  const abort = new AbortController();
  const onSignal = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  let written: WriteResult;
  try {
    const exported = exportLabels(result.images, {
      format: command.format,
      rows: command.rows,
      annotationId: command.annotationId,
      ...(classes && classes.length > 0 ? { classes } : {}),
      ...(names ? { names } : {}),
      ...(command.annotationLocation !== undefined ? { annotationLocation: command.annotationLocation } : {}),
      ...(progress
        ? { onProgress: ({ done, total }: { done: number; total: number | undefined }) => progress.update(done, total ?? done) }
        : {}),
    });
    written = await writeExport(exported, resolve(io.cwd, command.out), { overwrite: command.overwrite, signal: abort.signal });
  } catch (error) {
    progress?.finish();
    if (abort.signal.aborted) return fail(io, `interrupted; nothing was written to ${command.out}`);
    if (error instanceof OutputError && error.reason === 'exists') return fail(io, `${error.message} (--overwrite); nothing was written`);
    if (
      error instanceof OutputError ||
      error instanceof DuplicateFileNameError ||
      error instanceof NameMappingError ||
      error instanceof ClassListError
    ) {
      return fail(io, `${error.message}; nothing was written`);
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
  progress?.finish();

  const { report } = written;
  if (!command.quiet) {
    const what =
      written.kind === 'folder'
        ? `a folder of ${written.files} files`
        : written.kind === 'zip'
          ? `a ZIP of ${written.files} files`
          : 'one file';
    io.stderr.write(
      `${NAME}: ${report.images} image(s), ${report.boxes} box(es) of job ${command.annotationId} written as ${command.format} to ${written.path} (${what}, ${formatBytes(written.bytes)})\n`,
    );
    if (report.classes) io.stderr.write(`${NAME}: classes in index order: ${report.classes.join(', ')}\n`);
  }
  for (const note of report.notes) {
    io.stderr.write(
      `${NAME}: not exported as it was: ${note.count} ${note.message}${note.imageIds.length > 0 ? ` (images ${preview(note.imageIds)})` : ''}\n`,
    );
  }
  try {
    return (await reportIncomplete(result, command, io)) ? 2 : 0;
  } catch (error) {
    if (error instanceof CommandError) return fail(io, error.message);
    throw error;
  }
}

/** The job's tag list as the class order; undefined (the sorted tags found) when the service cannot give it. */
async function jobTagList(client: ModelArtsClient, annotationId: string): Promise<string[] | undefined> {
  try {
    return await client.getTagList(annotationId);
  } catch (error) {
    if (error instanceof ModelArtsError) return undefined;
    throw error;
  }
}
