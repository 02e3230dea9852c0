import { DeadlineExceededError, type ModelArtsClient, ObsSyncFailedError, type ObsSyncStatus } from '@modelarts-kit/client';
import type { CliIo } from '../run-cli.js';
import { CommandError, NAME, parseCommand, positiveInteger } from './job-images.js';
import {
  annotationIdOf,
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connectionFlags,
  textOption,
  withTarget,
  type ConnectionFlags,
} from './job-target.js';

export const SYNC_USAGE = `Usage: ${NAME} sync <annotationId> [--wait] [--timeout SECONDS] [options]

Starts a re-sync of the job's images from its OBS folder (new images join the job, untagged).
Each change of the sync's status is printed on stdout as it happens.

  --wait                   wait until the sync is done or failed, reading its status with growing
                           pauses (from --interval, doubled up to 15 s)
  --timeout SECONDS        with --wait: stop waiting after this long (default 1800); the sync goes
                           on in the service, "${NAME} sync <annotationId> --status" reads it later
  --interval SECONDS       the first pause between status reads (default 1)
  --status                 only print the status; start nothing
${CONNECTION_HELP}  Against the embedded emulator, a sync adds images only to its memory, for this one command.

Exit status: 0 started (without --wait) or done, 2 the sync failed (status 2), 3 still running
when --timeout passed, 1 an error (an unknown job, the connection, ...).
`;

interface SyncCommand extends ConnectionFlags {
  annotationId: string;
  wait: boolean;
  statusOnly: boolean;
  timeoutMs: number;
  intervalMs: number;
}

/** `modelarts-tags sync`: the exit status. */
export async function runSync(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand<SyncCommand>(argv, io, {
    name: 'sync',
    usage: SYNC_USAGE,
    options: {
      ...CONNECTION_OPTIONS,
      wait: { type: 'boolean' },
      timeout: { type: 'string' },
      interval: { type: 'string' },
      status: { type: 'boolean' },
    },
    build: (values, positionals) => {
      if (positionals.length > 1) throw new CommandError(`"${NAME} sync" takes one job ID`);
      const annotationId = annotationIdOf(positionals, 'sync', ' [--wait]');
      if (values.status === true && values.wait === true) throw new CommandError('--status only reads the status; it cannot --wait');
      if (values.wait !== true && values.timeout !== undefined) throw new CommandError('--timeout applies to --wait');
      const timeout = positiveInteger(textOption(values, 'timeout'), '--timeout') ?? 1800;
      const interval = positiveInteger(textOption(values, 'interval'), '--interval') ?? 1;
      if (interval > 3600) throw new CommandError(`--interval must be at most 3600 seconds, not ${interval}`);
      return {
        ...connectionFlags(values),
        annotationId,
        wait: values.wait === true,
        statusOnly: values.status === true,
        timeoutMs: timeout * 1000,
        intervalMs: interval * 1000,
      };
    },
  });
  if (typeof command === 'number') return command;
  return withTarget(command, io, command.statusOnly ? {} : { writes: 'the sync' }, async (target) => {
    const say = (status: ObsSyncStatus, note = ''): void => {
      io.stdout.write(`${new Date().toISOString()}  job ${command.annotationId}: ${describeState(status)}${note}\n`);
    };
    if (command.statusOnly) {
      say(await target.client.getObsSyncStatus(command.annotationId));
      return 0;
    }
    const before = await imageCount(target.client, command.annotationId);
    // The client reads the status with growing pauses (the one polling rule); each change is printed as it is read.
    const seen: { last?: ObsSyncStatus } = {};
    const onStatus = (status: ObsSyncStatus): void => {
      if (!seen.last) say(status, ' (sync started)');
      else if (status.code !== seen.last.code) say(status);
      seen.last = status;
    };
    try {
      await target.client.syncFromObs(command.annotationId, {
        wait: command.wait,
        onStatus,
        ...(command.wait ? { deadlineMs: command.timeoutMs, pollIntervalMs: command.intervalMs } : {}),
      });
    } catch (error) {
      if (error instanceof ObsSyncFailedError) {
        io.stderr.write(
          `${NAME}: the OBS sync of job ${command.annotationId} failed (sync_status 2); check the job's OBS path and permissions, then sync again\n`,
        );
        return 2;
      }
      if (error instanceof DeadlineExceededError && seen.last) {
        io.stderr.write(
          `${NAME}: the OBS sync of job ${command.annotationId} is still running after ${Math.round(command.timeoutMs / 1000)} s; it goes on in the service: "${NAME} sync ${command.annotationId} --status" reads it later\n`,
        );
        return 3;
      }
      throw error;
    }
    if (!command.wait) return 0;
    const after = await imageCount(target.client, command.annotationId);
    if (!command.quiet && before !== undefined && after !== undefined) {
      io.stderr.write(
        `${NAME}: job ${command.annotationId} has ${after.toLocaleString('en-US')} image(s), ${(after - before).toLocaleString('en-US')} more than before the sync\n`,
      );
    }
    return 0;
  });
}

function describeState(status: ObsSyncStatus): string {
  const words = { 'not-started': 'not started', running: 'running', done: 'done', failed: 'failed' } as const;
  return `${words[status.state]} (sync_status ${status.code})`;
}

/** Tagged plus untagged images, when the statistics say both. */
async function imageCount(client: ModelArtsClient, annotationId: string): Promise<number | undefined> {
  const { tagged, untagged } = await client.getTagStatistics(annotationId);
  return tagged === undefined || untagged === undefined ? undefined : tagged + untagged;
}
