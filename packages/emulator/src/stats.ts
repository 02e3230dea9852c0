import { FAULT_KINDS, type FaultKind } from './faults/fault-config.js';

/** Counters of what the emulator saw and did, for assertions such as "within the retry budget". */
export interface EmulatorStats {
  /** Every HTTP request that reached the emulator (each retry counts). */
  requests: number;
  /** Responses by HTTP status; resets and requests still held by a delay are not counted. */
  responses: Record<number, number>;
  /** Injected faults by kind; `batchLimit` counts refusals above `maxBatchSize`. */
  faults: Record<FaultKind | 'batchLimit', number>;
  /** Requests that reached a job, and the image IDs they named (tags/show, writes, deletes), by job ID. */
  jobs: Record<string, { requests: number; imageIds: number }>;
  /** Requests routed to each operation, by operationId, whatever their outcome. */
  operations: Record<string, number>;
  /** Authentication outcomes. */
  auth: { token: number; signature: number; rejected: number };
  /** TCP connections open now, and the most open at once. */
  connections: { open: number; peak: number };
}

export function createStats(): EmulatorStats {
  return {
    requests: 0,
    responses: {},
    faults: emptyFaultCounts(),
    jobs: {},
    operations: {},
    auth: { token: 0, signature: 0, rejected: 0 },
    connections: { open: 0, peak: 0 },
  };
}

/** Zeroes the counters in place, so references held by tests stay live. Open connections stay open. */
export function resetStats(stats: EmulatorStats): void {
  const open = stats.connections.open;
  Object.assign(stats, createStats());
  stats.connections = { open, peak: open };
}

export function trackConnection(stats: EmulatorStats, socket: { once(event: 'close', listener: () => void): unknown }): void {
  stats.connections.open += 1;
  stats.connections.peak = Math.max(stats.connections.peak, stats.connections.open);
  socket.once('close', () => {
    stats.connections.open -= 1;
  });
}

export function countResponse(stats: EmulatorStats, status: number): void {
  stats.responses[status] = (stats.responses[status] ?? 0) + 1;
}

export function countOperation(stats: EmulatorStats, operationId: string): void {
  stats.operations[operationId] = (stats.operations[operationId] ?? 0) + 1;
}

export function countJobRequest(stats: EmulatorStats, jobId: string, imageIds: number): void {
  const job = stats.jobs[jobId] ?? { requests: 0, imageIds: 0 };
  stats.jobs[jobId] = job;
  job.requests += 1;
  job.imageIds += imageIds;
}

function emptyFaultCounts(): EmulatorStats['faults'] {
  const counts = { batchLimit: 0 } as EmulatorStats['faults'];
  for (const kind of FAULT_KINDS) counts[kind] = 0;
  return counts;
}
