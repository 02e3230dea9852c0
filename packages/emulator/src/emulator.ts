import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Authenticator } from './auth/authenticator.js';
import type { WireEntry } from './data/entries.js';
import { JobCatalog, type JobInfo } from './data/job-catalog.js';
import { FaultPlanner } from './faults/fault-planner.js';
import { answerClientError } from './http/client-error.js';
import { ShowImageTagsHandler } from './http/show-image-tags-handler.js';
import { resolveOptions, type EmulatorOptions } from './options.js';
import { locateSpec } from './spec/locate-spec.js';
import { loadOpenApiDocument } from './spec/openapi-document.js';
import { ShowImageTagsContract } from './spec/show-image-tags-contract.js';
import { createStats, resetStats, trackConnection, type EmulatorStats } from './stats.js';

export interface EmulatorJobs {
  /** Image classification: each image has 1-3 tag names. */
  readonly classification: JobInfo;
  /** Object detection: each image has 0-4 boxes and a size. */
  readonly detection: JobInfo;
  /** Object detection whose `tags` are sent as a string holding the JSON array. */
  readonly detectionStringTags: JobInfo;
}

export interface RunningEmulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly projectId: string;
  readonly jobs: EmulatorJobs;
  /** The job with this ID, or undefined. */
  job(jobId: string): JobInfo | undefined;
  /** The `images_tags` entry the emulator sends for this image, or undefined if the job or image is unknown. */
  groundTruth(jobId: string, imageId: string): WireEntry | undefined;
  /** Live counters; see EmulatorStats. */
  readonly stats: Readonly<EmulatorStats>;
  resetStats(): void;
  /** Stops listening, drops open connections and pending delayed answers. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts an emulator of the ModelArts image tags API and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const settings = resolveOptions(options);
  const contract = new ShowImageTagsContract(loadOpenApiDocument(settings.specPath ?? locateSpec()));
  const catalog = new JobCatalog(settings.seed, settings.imagesPerJob);
  const stats = createStats();
  const pendingTimers = new Set<NodeJS.Timeout>();

  const handler = new ShowImageTagsHandler({
    contract,
    catalog,
    authenticator: new Authenticator(settings.tokens, settings.keys, settings.clock),
    faults: new FaultPlanner(settings.faults, settings.seed),
    stats,
    projectId: settings.projectId,
    bodyLimitBytes: settings.bodyLimitBytes,
    schedule: (ms, action) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        action();
      }, ms);
      pendingTimers.add(timer);
    },
  });

  const server = createServer(
    {
      requestTimeout: settings.requestTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      // Timeouts are only enforced when Node sweeps its connections; sweep
      // often enough that a short timeout is honoured promptly.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(settings.headersTimeoutMs / 4))),
    },
    handler.handle,
  );
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  server.on('connection', (socket: Socket) => trackConnection(stats, socket));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));

  await listen(server, settings.port, settings.host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    host: settings.host,
    port,
    projectId: settings.projectId,
    jobs: catalog.jobs,
    job: (jobId) => catalog.get(jobId),
    groundTruth: (jobId, imageId) => catalog.get(jobId)?.entry(imageId),
    stats,
    resetStats: () => resetStats(stats),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of pendingTimers) clearTimeout(timer);
        pendingTimers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog lets a thousand clients connect at once without SYN retries.
    server.listen({ port, host, backlog: 2048 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
