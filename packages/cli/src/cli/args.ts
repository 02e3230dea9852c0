import { parseArgs } from 'node:util';
import { LISTED_IDS } from './incomplete.js';
import { INPUT_LIMITS } from './input-stream.js';
import { FORMATS, isOutputFormat, type OutputFormat } from './output-formats.js';
import { MAX_INPUT_IDS } from './read-ids.js';

export const USAGE = `Usage: modelarts-tags get <annotationId> [imageId ...] [options]
       modelarts-tags get <annotationId> --all [--tag TAG | --untagged] [options]

Prints the tags of images of a ModelArts manual annotation job.

Commands (each has --help)
  jobs                     list the project's annotation jobs (the IDs the other commands take)
  images <job>             list a job's images: tagged, --tag TAG or --untagged
  get <job> ...            the tags of the images given, or of every image with --all
  stats <job>              the job's tag list, images per tag, tagged and untagged counts
  set <job> --file F       write tags from a JSON Lines file (checked whole first)
  delete <job> ... --yes   delete images from the job
  sync <job> [--wait]      re-sync the job's images from OBS, printing each status change
  export <job> ...         write the tags in a training format (coco, voc, yolo, manifest, csv, jsonl)
  check <job> ...          label QA: boxes, untagged images, tags against the job's statistics

Image IDs (one source)
  imageId ...              as arguments
  -f, --file PATH          a text file (one ID per line, # comments) or a CSV file; - for stdin
  -c, --column NAME|N      the CSV column that holds the IDs (default: the first)
                           with neither IDs nor --file, IDs are read from stdin
                           input must be UTF-8 text, with at most ${MAX_INPUT_IDS.toLocaleString('en-US')} IDs,
                           ${INPUT_LIMITS.maxLines.toLocaleString('en-US')} lines, ${INPUT_LIMITS.maxBytes / 1024 / 1024} MB and ${INPUT_LIMITS.maxLineBytes / 1024} KB per line

The whole job (--all)
  --all                    every image of the job: the tagged ones, then the untagged ones, listed
                           page by page and written batch by batch as they come
  --tag TAG                with --all: only the images that carry TAG
  --untagged               with --all: only the images without a tag
  --per-page N             with --all: images per list request, 1 to 100 (default 100)

Output
  --format FORMAT          ${FORMATS.join(', ')} (default: table on a terminal, ndjson when piped)
  --report PATH            also write a self-contained HTML report with the images drawn
  -q, --quiet              no progress bar or notes on stderr (errors are still shown)
  --missing-out FILE       write every image ID not found to FILE, one per line (stderr shows
                           the count and the first ${LISTED_IDS}); FILE can be read back with --file
  --failed-out FILE        write every failed image ID with its error to FILE as CSV
                           (image_id,error,status,error_code,request_id,message)

Requests
  --batch-size N           image IDs per request (default 100)
  --concurrency N          requests in flight at once (default 8)

Connection (a flag overrides its environment variable)
  --endpoint URL           MODELARTS_ENDPOINT, e.g. https://modelarts.cn-north-4.myhuaweicloud.com
  --region ID              HUAWEICLOUD_SDK_REGION_ID, e.g. cn-north-4
  --project-id ID          HUAWEICLOUD_SDK_PROJECT_ID
  Credentials come from the environment only, never from flags:
    HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (+ HUAWEICLOUD_SDK_SECURITY_TOKEN), or MODELARTS_TOKEN
  With no endpoint and no credentials, an embedded emulator answers with seeded jobs
  (job 282: image classification, job 287: object detection; "modelarts-tags jobs" lists all).
  Writes to it (set, delete, sync) change only its memory and end with the command.

  -h, --help               show this text
  -V, --version            show the version

Exit status
  0  every image ID was found (--all: every listed image)
  2  some IDs were missing or failed, or the --all listing stopped part-way (counted on stderr with the first few; see --missing-out)
  1  a usage, configuration or authentication error (the message says what to fix)

Examples
  modelarts-tags get 287 3cedbe61c86c0b0e808c5b0702ae79de 7dafb75f42115b44e17b30129288c947
  modelarts-tags get 287 --file ids.csv --column image_id --report report.html
  modelarts-tags get 287 --all --report report.html --format csv > tags.csv
  cut -d, -f1 ids.csv | modelarts-tags get 287 --format csv > tags.csv
`;

const COMMAND_NAMES = 'jobs, images, get, stats, set, delete, sync, export and check';

/** The options of every command that fetches images of a job: where the IDs come from, requests, connection. */
export const JOB_OPTIONS = {
  file: { type: 'string', short: 'f' },
  column: { type: 'string', short: 'c' },
  'batch-size': { type: 'string' },
  concurrency: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'missing-out': { type: 'string' },
  'failed-out': { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'project-id': { type: 'string' },
} as const;

export type Command = { kind: 'help' } | { kind: 'version' } | GetCommand;

export interface GetCommand {
  kind: 'get';
  annotationId: string;
  imageIds: string[];
  file: string | undefined;
  column: string | undefined;
  /** Undefined: table on a terminal, ndjson otherwise. */
  format: OutputFormat | undefined;
  report: string | undefined;
  batchSize: number | undefined;
  concurrency: number | undefined;
  quiet: boolean;
  /** Write every missing ID to this file. */
  missingOut: string | undefined;
  /** Write every failed ID, with its error, to this CSV file. */
  failedOut: string | undefined;
  endpoint: string | undefined;
  region: string | undefined;
  projectId: string | undefined;
  /** --all: every image of the job (or of --tag / --untagged), listed instead of given. */
  all: boolean;
  tag: string | undefined;
  untagged: boolean;
  perPage: number | undefined;
}

/** A mistake on the command line; the message says what to change. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        ...JOB_OPTIONS,
        format: { type: 'string' },
        report: { type: 'string' },
        all: { type: 'boolean' },
        tag: { type: 'string' },
        untagged: { type: 'boolean' },
        'per-page': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    // Node's messages name the flag ("Unknown option '--x'"); they never contain values.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [commandName, annotationId, ...imageIds] = positionals;
  if (commandName === undefined) throw new UsageError(`No command given; the commands are ${COMMAND_NAMES}`);
  if (commandName !== 'get') throw new UsageError(`Unknown command "${commandName}"; the commands are ${COMMAND_NAMES}`);
  if (annotationId === undefined) {
    throw new UsageError('The annotation job ID is missing: modelarts-tags get <annotationId> [imageId ...]');
  }
  if (imageIds.length > 0 && values.file !== undefined) {
    throw new UsageError('Give image IDs either as arguments or with --file, not both');
  }
  if (values.column !== undefined && values.column.trim() === '') throw new UsageError('--column needs a column name or number');
  if (values.format !== undefined && !isOutputFormat(values.format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  }
  if (values.all && (imageIds.length > 0 || values.file !== undefined || values.column !== undefined)) {
    throw new UsageError('--all lists the images of the job itself: give no image IDs, --file or --column with it');
  }
  if (!values.all && (values.tag !== undefined || values.untagged || values['per-page'] !== undefined)) {
    throw new UsageError('--tag, --untagged and --per-page choose images of the job for --all: add --all');
  }
  if (values.tag !== undefined && values.untagged) throw new UsageError('Give either --tag or --untagged, not both');
  const perPage = positiveInteger(values['per-page'], '--per-page');
  if (perPage !== undefined && perPage > 100)
    throw new UsageError(`--per-page must be 1 to 100 (the service's page size limit), not ${perPage}`);
  for (const flag of ['endpoint', 'region', 'project-id', 'report', 'file', 'missing-out', 'failed-out', 'tag'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') throw new UsageError(`--${flag} is empty`);
  }
  const clash = outputClash({ '--report': values.report, '--missing-out': values['missing-out'], '--failed-out': values['failed-out'] });
  if (clash) throw new UsageError(clash);

  return {
    kind: 'get',
    annotationId,
    imageIds,
    file: values.file,
    column: values.column,
    format: values.format as OutputFormat | undefined,
    report: values.report,
    batchSize: positiveInteger(values['batch-size'], '--batch-size'),
    concurrency: positiveInteger(values.concurrency, '--concurrency'),
    quiet: values.quiet ?? false,
    missingOut: values['missing-out'],
    failedOut: values['failed-out'],
    endpoint: values.endpoint,
    region: values.region,
    projectId: values['project-id'],
    all: values.all ?? false,
    tag: values.tag,
    untagged: values.untagged ?? false,
    perPage,
  };
}

/** Two output options naming one file would overwrite each other: the message, or undefined. */
export function outputClash(paths: Record<string, string | undefined>): string | undefined {
  const given = Object.entries(paths).filter((entry): entry is [string, string] => entry[1] !== undefined);
  for (let i = 0; i < given.length; i++) {
    for (let j = i + 1; j < given.length; j++) {
      if (given[i]![1] === given[j]![1]) return `${given[i]![0]} and ${given[j]![0]} name the same file; give each its own`;
    }
  }
  return undefined;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} must be a whole number of at least 1, not "${value}"`);
  }
  return Number(value);
}
