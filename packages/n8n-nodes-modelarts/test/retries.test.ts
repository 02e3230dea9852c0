import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN, startEmulator, type FaultConfig, type RunningEmulator } from '@modelarts-kit/emulator';
import { NodeApiError } from 'n8n-workflow';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedRecord } from './support/expected';
import { itemsOf, runNode } from './support/n8n-context';

let emulator: RunningEmulator | undefined;
afterEach(async () => {
	await emulator?.close();
	emulator = undefined;
});

async function withFaults(faults: FaultConfig) {
	emulator = await startEmulator({ imagesPerJob: 20, faults });
	const ids = emulator.jobs.classification.imageIds.slice(0, 5);
	const run = (extra: { options?: Record<string, unknown>; retryOnFail?: boolean; cancelSignal?: AbortSignal } = {}) =>
		runNode({
			items: itemsOf([{ ids }]),
			parameters: {
				resource: 'image',
				operation: 'getTags',
				annotationId: emulator!.jobs.classification.id,
				imageIds: (_: number, item: { json: Record<string, unknown> }) => item.json.ids,
				options: extra.options ?? {},
			},
			credentials: {
				authType: 'token',
				token: DEFAULT_TOKEN,
				endpointType: 'custom',
				endpoint: emulator!.url,
				projectId: DEFAULT_PROJECT_ID,
			},
			retryOnFail: extra.retryOnFail ?? false,
			...(extra.cancelSignal ? { cancelSignal: extra.cancelSignal } : {}),
		});
	const expected = ids.map((id) => expectedRecord(emulator!.groundTruth(emulator!.jobs.classification.id, id)!));
	return { run, expected, emulator };
}

describe("the node's own retries", () => {
	it.each(['503', '500', 'reset', 'truncated', 'html502', 'unsuccessful'] as const)(
		'retries a transient %s and returns the full result',
		async (kind) => {
			const { run, expected } = await withFaults({ sequence: [kind, null] });
			const { output } = await run();
			expect(output.map((item) => item.json)).toEqual(expected);
			expect(emulator!.stats.requests).toBe(2);
		},
	);

	it('honours Retry-After of a 429', async () => {
		const { run, expected } = await withFaults({ sequence: ['429', null], retryAfterSeconds: 1 });
		const started = performance.now();
		const { output } = await run();
		expect(performance.now() - started).toBeGreaterThanOrEqual(950);
		expect(output.map((item) => item.json)).toEqual(expected);
		expect(emulator!.stats.requests).toBe(2);
	});

	it('gives up on a request that outlives the timeout and retries it (timers from n8n-workflow)', async () => {
		const { run, expected } = await withFaults({ sequence: ['delay', null], delayMs: 20_000 });
		const started = performance.now();
		const { output } = await run({ options: { timeout: 1_000 } });
		expect(performance.now() - started).toBeLessThan(10_000);
		expect(output.map((item) => item.json)).toEqual(expected);
		expect(emulator!.stats.requests).toBe(2);
	});

	it('stops after Max Retries and names the attempts', async () => {
		const { run } = await withFaults({ rate: 1, kinds: ['503'] });
		const error = await run({ options: { maxRetries: 2 } }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/HTTP 503.*\(gave up after 3 attempts\)/);
		expect((error as NodeApiError).description).toContain('Attempts: 3.');
		expect(emulator!.stats.requests).toBe(3);
	});
});

describe("with n8n's Retry On Fail", () => {
	it('the node makes no retries of its own, so the two never multiply', async () => {
		const { run } = await withFaults({ sequence: ['503', null] });
		const error = await run({ retryOnFail: true, options: { maxRetries: 5 } }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('503');
		expect(emulator!.stats.requests).toBe(1);
		// n8n's next try is a fresh run of the node, which then succeeds.
		const { output } = await run({ retryOnFail: true });
		expect(output).toHaveLength(5);
		expect(emulator!.stats.requests).toBe(2);
	});
});

describe('cancelling the execution', () => {
	it('stops waiting at once when n8n cancels the execution', async () => {
		const { run } = await withFaults({ sequence: ['delay'], delayMs: 20_000 });
		const cancel = new AbortController();
		const started = performance.now();
		const pending = run({ cancelSignal: cancel.signal }).catch((caught: unknown) => caught);
		await new Promise((resolve) => setTimeout(resolve, 300));
		cancel.abort();
		const error = await pending;
		expect(performance.now() - started).toBeLessThan(5_000);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/aborted/);
		expect(emulator!.stats.requests).toBe(1);
	});
});
