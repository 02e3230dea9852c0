import { ModelArtsClient, type ModelArtsClientOptions } from '../../src/index.js';
import type { Transport } from '../../src/core/transport.js';
import { VirtualClock } from './virtual-clock.js';

export const TEST_PROJECT_ID = '0123456789abcdef0123456789abcdef';

/** A client of a scripted transport on a virtual clock. */
export function testClient(
  transport: Transport,
  clock = new VirtualClock(),
  options: Partial<ModelArtsClientOptions> = {},
): ModelArtsClient {
  return new ModelArtsClient({
    endpoint: 'https://modelarts.example.test',
    projectId: TEST_PROJECT_ID,
    auth: { token: 'test-token' },
    transport,
    runtime: clock,
    ...options,
  });
}

/** Everything an async iterable yields. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
