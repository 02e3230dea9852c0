import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Authenticator } from './auth/authenticator.js';
import { JobCatalog } from './data/job-catalog.js';
import { FaultPlanner } from './faults/fault-planner.js';
import { answerClientError } from './http/client-error.js';
import { RequestPipeline } from './http/request-pipeline.js';
import { inspectState, type StateInspection } from './inspection.js';
import { resolveOptions, type EmulatorOptions } from './options.js';
import { ApiContract } from './spec/api-contract.js';
import { locateSpec } from './spec/locate-spec.js';
import { loadOpenApiDocument } from './spec/openapi-document.js';
import { EmulatorState } from './state/emulator-state.js';
import { createStats, resetStats, trackConnection, type EmulatorStats } from './stats.js';

export type { EmulatorJobs } from './inspection.js';

export interface RunningEmulator extends StateInspection {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly projectId: string;
  /** Live counters; see EmulatorStats. */
  readonly stats: Readonly<EmulatorStats>;
  resetStats(): void;
  /** Stops listening, drops open connections and pending delayed answers. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts an emulator of the ModelArts annotation job API and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const settings = resolveOptions(options);
  const contract = new ApiContract(loadOpenApiDocument(settings.specPath ?? locateSpec()));
  const catalog = new JobCatalog(settings.seed, settings.imagesPerJob);
  const state = new EmulatorState(catalog, settings.obsSync, settings.clock);
  const stats = createStats();
  const pendingTimers = new Set<NodeJS.Timeout>();

  const handler = new RequestPipeline({
    contract,
    state,
    authenticator: new Authenticator(settings.tokens, settings.keys, settings.clock),
    faults: new FaultPlanner(settings.faults, settings.seed),
    stats,
    projectId: settings.projectId,
    bodyLimitBytes: settings.bodyLimitBytes,
    now: settings.clock,
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
    ...inspectState(catalog, state),
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
