#!/usr/bin/env node
import { parseCliArgs, USAGE } from './cli-args.js';
import { DEFAULT_CREDENTIALS, DEFAULT_TOKEN } from './constants.js';
import { startEmulator, type RunningEmulator } from './emulator.js';
import type { EmulatorOptions } from './options.js';

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`modelarts-emulator: ${describe(error)}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(command.options);
  } catch (error) {
    process.stderr.write(`modelarts-emulator: ${describe(error)}\n`);
    return error instanceof RangeError || error instanceof TypeError ? 2 : 1;
  }
  // The URL alone on the first line, so scripts can read it.
  process.stdout.write(`${emulator.url}\n${summary(emulator, command.options)}`);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void emulator.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write('modelarts-emulator stopped\n');
  return 0;
}

function summary(emulator: RunningEmulator, options: EmulatorOptions): string {
  const lines = [`project ${emulator.projectId}`];
  for (const job of emulator.jobList()) {
    const info = emulator.job(String(job.dls_prj_id));
    const kind =
      info?.type === 'classification'
        ? 'image classification'
        : info?.tagsEncoding === 'string'
          ? 'object detection with tags sent as a JSON string'
          : 'object detection';
    lines.push(
      `job ${job.dls_prj_id}: ${kind}, ${job.progress_detail.total_count} images, ` +
        `"${job.name}" (${job.progress}% tagged, job list id ${job.id})`,
    );
  }
  // Only the built-in, public credentials are shown; credentials given on
  // the command line are the user's and stay off the screen.
  lines.push(
    options.tokens === undefined
      ? `token: X-Auth-Token: ${DEFAULT_TOKEN}`
      : `tokens: ${options.tokens.length} accepted (given on the command line)`,
    options.keys === undefined
      ? `AK/SK: ${DEFAULT_CREDENTIALS.accessKey} / ${DEFAULT_CREDENTIALS.secretKey}`
      : `AK/SK: ${options.keys.length} pair(s) accepted (given on the command line)`,
  );
  if (options.faults !== undefined) lines.push('faults: injected as configured');
  lines.push('Ctrl+C stops it.');
  return lines.map((line) => `${line}\n`).join('');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`modelarts-emulator: ${describe(error)}\n`);
    process.exitCode = 1;
  },
);
