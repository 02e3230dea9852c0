import type { AnnotationJob, ModelArtsClient } from '@modelarts-kit/client';
import { printableInline } from '../../shared/printable.js';
import { renderTable } from '../../shared/text-table.js';
import { csvLine } from '../csv.js';
import { FORMATS, type OutputFormat } from '../output-formats.js';
import type { CliIo } from '../run-cli.js';
import { CommandError, NAME, parseCommand } from './job-images.js';
import {
  annotationIdOf,
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connectionFlags,
  formatOption,
  outputFormat,
  withTarget,
  type ConnectionFlags,
} from './job-target.js';
import { tableStyle } from './table-style.js';

export const STATS_USAGE = `Usage: ${NAME} stats <annotationId> [options]

Summarises a job: its name, type and progress (from the job list), its tag list, and how many
images carry each tag, with the tagged and untagged image counts (the service's statistics).

  --format FORMAT          ${FORMATS.join(', ')} (default: table on a terminal, ndjson when piped)
                           ndjson and csv: one row per tag (tag, images); json: everything
${CONNECTION_HELP}
Exit status: 0 printed, 1 an error (an unknown job, the connection, ...).
`;

interface StatsCommand extends ConnectionFlags {
  annotationId: string;
  format: OutputFormat | undefined;
}

interface JobSummary {
  annotationId: string;
  job: AnnotationJob | undefined;
  tagList: string[];
  /** Every tag of the statistics or the tag list, most images first. */
  tags: { tag: string; images: number }[];
  tagged: number | undefined;
  untagged: number | undefined;
}

/** `modelarts-tags stats`: the exit status. */
export async function runStats(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand<StatsCommand>(argv, io, {
    name: 'stats',
    usage: STATS_USAGE,
    options: { ...CONNECTION_OPTIONS, format: { type: 'string' } },
    build: (values, positionals) => {
      if (positionals.length > 1) throw new CommandError(`"${NAME} stats" takes one job ID`);
      return { ...connectionFlags(values), annotationId: annotationIdOf(positionals, 'stats'), format: formatOption(values) };
    },
  });
  if (typeof command === 'number') return command;
  return withTarget(command, io, {}, async (target) => {
    const summary = await summarise(target.client, command.annotationId);
    io.stdout.write(formatSummary(summary, outputFormat(command.format, io), io));
    return 0;
  });
}

/** The statistics first: an unknown job fails there, before the job list is read. */
async function summarise(client: ModelArtsClient, annotationId: string): Promise<JobSummary> {
  const statistics = await client.getTagStatistics(annotationId);
  const tagList = await client.getTagList(annotationId);
  let job: AnnotationJob | undefined;
  for await (const entry of client.listJobs()) {
    if (entry.annotationId === annotationId) {
      job = entry;
      break;
    }
  }
  const counts = new Map(statistics.tags.map(({ tag, count }) => [tag, count]));
  for (const tag of tagList) if (!counts.has(tag)) counts.set(tag, 0);
  const tags = [...counts].map(([tag, images]) => ({ tag, images })).sort((a, b) => b.images - a.images || a.tag.localeCompare(b.tag));
  return { annotationId, job, tagList, tags, tagged: statistics.tagged, untagged: statistics.untagged };
}

function formatSummary(summary: JobSummary, format: OutputFormat, io: CliIo): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(summary, null, 2)}\n`;
    case 'ndjson':
      return summary.tags.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    case 'csv':
      return `${[csvLine(['tag', 'images']), ...summary.tags.map(({ tag, images }) => csvLine([tag, images]))].join('\n')}\n`;
    case 'table': {
      const total = summary.tagged !== undefined && summary.untagged !== undefined ? summary.tagged + summary.untagged : undefined;
      const rows = summary.tags.map(({ tag, images }) => [
        tag,
        images.toLocaleString('en-US'),
        total ? `${((images / total) * 100).toFixed(1)}%` : '-',
      ]);
      const table = renderTable([{ header: 'TAG' }, { header: 'IMAGES' }, { header: 'SHARE' }], rows, tableStyle(io));
      return `${headline(summary, total)}\n\n${table}`;
    }
  }
}

function headline({ annotationId, job, tagList, tagged, untagged }: JobSummary, total: number | undefined): string {
  const name = job ? ` "${printableInline(job.name)}" (${job.type})` : '';
  const progress = job?.progress !== undefined ? `, ${job.progress}% tagged` : '';
  const counts =
    total !== undefined
      ? `; ${tagged!.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} images tagged, ${untagged!.toLocaleString('en-US')} untagged`
      : '';
  return `job ${annotationId}${name}${progress}${counts}; ${tagList.length} tag(s) in the tag list`;
}
