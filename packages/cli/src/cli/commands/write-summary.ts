import type { WriteResult } from '@modelarts-kit/client';
import type { Target } from '../../shared/connection.js';
import { reportIncomplete, writeIncompleteFiles } from '../incomplete.js';
import { InputError } from '../read-ids.js';
import type { CliIo } from '../run-cli.js';
import { CommandError, fail, NAME } from './job-images.js';
import { describeFailure, textOption } from './job-target.js';

export const WRITE_EXIT_HELP = `Exit status: 0 every image done, 2 some images failed (stderr counts them with the first few and
the error; see --failed-out), 1 nothing was done (bad input, an unknown job or image, a connection error).
`;

/**
 * After a write (set, delete): --failed-out, the count on stderr, the failed images with their error;
 * the exit status. When nothing succeeded and the error would stop every request (auth, an unknown
 * job), it is the exit-1 message, as for `get`.
 */
export async function finishWrite(
  result: WriteResult,
  flags: { annotationId: string; quiet: boolean; failedOut: string | undefined; verb: string; what: string; note?: string },
  target: Target,
  io: CliIo,
): Promise<number> {
  try {
    await writeIncompleteFiles({ missing: [], failed: result.failed }, { failedOut: flags.failedOut }, io);
  } catch (error) {
    if (error instanceof InputError) return fail(io, error.message);
    throw error;
  }
  const blocking = result.succeeded.length === 0 ? result.failed.find(({ error }) => error.fatal) : undefined;
  if (blocking) return fail(io, `${describeFailure(blocking.error, target)}; nothing was ${flags.verb}`);
  if (!flags.quiet || result.failed.length > 0) {
    const total = result.succeeded.length + result.failed.length;
    io.stderr.write(
      `${NAME}: job ${flags.annotationId}: ${flags.what}${result.succeeded.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} image(s) ${flags.verb}, ${result.failed.length.toLocaleString('en-US')} failed; ${result.requestIds.length} request(s)${flags.note ?? ''}\n`,
    );
  }
  return reportIncomplete({ missing: [], failed: result.failed }, flags.annotationId, io, { failedOut: flags.failedOut }) ? 2 : 0;
}

/** --batch-size of a write: 1 to 1,000 images per request (the client's limit), 1,000 by default. */
export function writeBatchSize(values: Record<string, string | boolean | undefined>, what: string): number {
  const value = textOption(values, 'batch-size');
  if (value === undefined) return 1000;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) {
    throw new CommandError(`--batch-size must be 1 to 1000 for ${what}, not "${value}"`);
  }
  return Number(value);
}
