import type { AnnotationJob } from '@modelarts-kit/client';
import { renderTable } from '../../shared/text-table.js';
import { FORMATS, type OutputFormat } from '../output-formats.js';
import type { CliIo } from '../run-cli.js';
import { StreamedList } from '../stream-output.js';
import { CommandError, NAME, parseCommand } from './job-images.js';
import {
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connectionFlags,
  formatOption,
  outputFormat,
  withTarget,
  textOption,
  type ConnectionFlags,
} from './job-target.js';
import { tableStyle } from './table-style.js';

export const JOBS_USAGE = `Usage: ${NAME} jobs [--search TEXT] [--sort name|create_time] [--order asc|desc] [options]

Lists the manual annotation jobs of the project: the ID the other commands take (ANNOTATION ID),
the type, how far tagging is, the image counts and the name.

  --search TEXT            only jobs whose name contains TEXT
  --sort name|create_time  the order of the list (default: create_time, newest first)
  --order asc|desc         ascending or descending
  --format FORMAT          ${FORMATS.join(', ')} (default: table on a terminal, ndjson when piped)
${CONNECTION_HELP}
Exit status: 0 listed (also when no job matches), 1 an error.
`;

interface JobsCommand extends ConnectionFlags {
  search: string | undefined;
  sortBy: 'name' | 'create_time' | undefined;
  order: 'asc' | 'desc' | undefined;
  format: OutputFormat | undefined;
}

function buildJobs(values: Record<string, string | boolean | undefined>, positionals: string[]): JobsCommand {
  if (positionals.length > 0) throw new CommandError(`"${NAME} jobs" takes no arguments; filter with --search`);
  const sort = textOption(values, 'sort');
  if (sort !== undefined && sort !== 'name' && sort !== 'create_time')
    throw new CommandError(`--sort must be name or create_time, not "${sort}"`);
  const order = textOption(values, 'order');
  if (order !== undefined && order !== 'asc' && order !== 'desc') throw new CommandError(`--order must be asc or desc, not "${order}"`);
  return { ...connectionFlags(values), search: textOption(values, 'search'), sortBy: sort, order, format: formatOption(values) };
}

/** `modelarts-tags jobs`: the exit status. */
export async function runJobs(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand(argv, io, {
    name: 'jobs',
    usage: JOBS_USAGE,
    options: {
      ...CONNECTION_OPTIONS,
      search: { type: 'string' },
      sort: { type: 'string' },
      order: { type: 'string' },
      format: { type: 'string' },
    },
    build: buildJobs,
  });
  if (typeof command === 'number') return command;
  return withTarget(command, io, {}, async (target) => {
    const format = outputFormat(command.format, io);
    const list = new StreamedList<AnnotationJob>({
      format,
      out: io.stdout,
      head: {},
      arrayKey: 'jobs',
      json: (job) => job,
      csvHeader: () => ['annotation_id', 'job_id', 'name', 'type', 'progress', 'total', 'tagged', 'untagged', 'create_time', 'path'],
      csvRows: (job) => [
        [
          job.annotationId,
          job.jobId,
          job.name,
          job.type,
          job.progress,
          job.counts?.total,
          job.counts?.tagged,
          job.counts?.untagged,
          createTime(job),
          job.path,
        ],
      ],
      table: (jobs) => jobsTable(jobs, io),
    });
    // A table needs every width first; the other formats are written page by page.
    const pending: AnnotationJob[] = [];
    for await (const job of target.client.listJobs({
      ...(command.search !== undefined ? { search: command.search } : {}),
      ...(command.sortBy ? { sortBy: command.sortBy } : {}),
      ...(command.order ? { order: command.order } : {}),
    })) {
      pending.push(job);
      if (format !== 'table' && pending.length >= 100) list.write(pending.splice(0));
    }
    list.write(pending);
    list.end();
    if (!command.quiet && format === 'table' && list.count === 0) {
      io.stderr.write(
        `${NAME}: no annotation job${command.search !== undefined ? ` has a name containing "${command.search}"` : ' in this project'}\n`,
      );
    }
    return 0;
  });
}

function jobsTable(jobs: readonly AnnotationJob[], io: CliIo): string {
  return renderTable(
    [
      { header: 'ANNOTATION ID' },
      { header: 'TYPE' },
      { header: 'PROGRESS' },
      { header: 'TAGGED/IMAGES' },
      { header: 'CREATED' },
      { header: 'NAME' },
    ],
    jobs.map((job) => [
      job.annotationId,
      job.type,
      job.progress === undefined ? '-' : `${job.progress}%`,
      job.counts?.total === undefined ? '-' : `${job.counts.tagged ?? '?'}/${job.counts.total}`,
      createTime(job)?.slice(0, 16).replace('T', ' ') ?? '-',
      job.name,
    ]),
    tableStyle(io),
  );
}

/** As an ISO time when the service sent epoch milliseconds, else as sent. */
function createTime(job: AnnotationJob): string | undefined {
  if (typeof job.createTime === 'number') return new Date(job.createTime).toISOString();
  return job.createTime;
}
