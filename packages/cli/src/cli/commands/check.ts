import { ModelArtsError } from '@modelarts-kit/client';
import { checkLabels, formatQaSummary, type TagCount } from '@modelarts-kit/formats';
import type { CliIo } from '../run-cli.js';
import {
  CommandError,
  fail,
  fetchJobImages,
  JOB_IMAGES_OPTIONS,
  jobImagesFlags,
  NAME,
  parseCommand,
  readNameList,
  readText,
  reportIncomplete,
  type JobImagesFlags,
} from './job-images.js';

export const CHECK_USAGE = `Usage: ${NAME} check <annotationId> [imageId ... | --all] [options]

Fetches the tags of images of a job and checks them: boxes outside the image, zero-area or
inverted boxes, boxes on images without a size, images without tags, tags outside the job's
tag list, per-tag image counts against the job's statistics. Nothing is changed.

  --all                    check every image of the job (tagged and untagged), listed by the service;
                           the job's tag list and statistics are then read from the service too
  --tag-list FILE          the job's tag list, one per line (with --all: default the service's)
  --statistics FILE        the job's tag statistics: JSON of tags/stats ({"tag_count":[{"tag","count"}]})
                           (with --all: default the service's, compared per tag with the images found)
  --json                   print the machine-readable report (every finding) instead of the summary
  --names FILE             as for export: with no IDs given, check the images this mapping lists
  Image IDs, connection, -q, --missing-out and --failed-out as for "${NAME} get" (see --help).

Exit status: 0 no findings, 3 findings were reported, 2 some IDs were missing or failed, 1 an error.
`;

interface CheckCommand extends JobImagesFlags {
  tagList: string | undefined;
  statistics: string | undefined;
  json: boolean;
}

/** `modelarts-tags check`: label QA of a job's images; the exit status. */
export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand<CheckCommand>(argv, io, {
    name: 'check',
    usage: CHECK_USAGE,
    options: { ...JOB_IMAGES_OPTIONS, 'tag-list': { type: 'string' }, statistics: { type: 'string' }, json: { type: 'boolean' } },
    build: (values, positionals) => ({
      ...jobImagesFlags(values, positionals, 'check'),
      tagList: values['tag-list'] as string | undefined,
      statistics: values.statistics as string | undefined,
      json: values.json === true,
    }),
  });
  if (typeof command === 'number') return command;
  let tagList: string[] | undefined;
  let statistics: TagCount[] | undefined;
  let job;
  try {
    if (command.tagList !== undefined) tagList = await readNameList(command.tagList, io, '--tag-list');
    if (command.statistics !== undefined)
      statistics = parseStatistics(await readText(command.statistics, io, '--statistics'), command.statistics);
    job = await fetchJobImages(command, io);
  } catch (error) {
    if (error instanceof CommandError) return fail(io, error.message);
    throw error;
  }
  const { result, target } = job;
  try {
    // Counts per tag only compare with the statistics when every image was fetched.
    if (command.all && tagList === undefined) tagList = await target.client.getTagList(command.annotationId);
    if (command.all && statistics === undefined) statistics = (await target.client.getTagStatistics(command.annotationId)).tags;
  } catch (error) {
    if (!(error instanceof ModelArtsError)) throw error;
    return fail(io, `${error.message}. Requests went to ${target.description}`);
  } finally {
    await target.close();
  }
  const blocking = result.images.length === 0 && result.failed[0];
  if (blocking) return fail(io, `${blocking.error.message}. Requests went to ${target.description}`);

  const report = await checkLabels(result.images, { ...(tagList ? { tagList } : {}), ...(statistics ? { statistics } : {}) });
  io.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatQaSummary(report));
  let incomplete: boolean;
  try {
    incomplete = await reportIncomplete(result, command, io);
  } catch (error) {
    if (error instanceof CommandError) return fail(io, error.message);
    throw error;
  }
  if (incomplete) return 2;
  return report.findings.length > 0 ? 3 : 0;
}

/** tags/stats as ModelArts returns it (`tag_count`), or just its list. */
function parseStatistics(text: string, source: string): TagCount[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CommandError(`--statistics ${source} is not JSON`);
  }
  const list = Array.isArray(json) ? json : (json as { tag_count?: unknown })?.tag_count;
  if (
    !Array.isArray(list) ||
    !list.every((entry) => typeof entry?.tag === 'string' && Number.isInteger(entry?.count) && entry.count >= 0)
  ) {
    throw new CommandError(`--statistics ${source} must hold tag_count: [{"tag": "...", "count": N}, ...]`);
  }
  return list.map(({ tag, count }: TagCount) => ({ tag, count }));
}
