import * as n8nWorkflow from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { hostSleep } from '../nodes/ModelArts/v1/transport/client';

describe("the node's timers come from the instance's n8n-workflow", () => {
	const sleepWithAbort = async (): Promise<void> => undefined;
	const sleep = async (): Promise<void> => undefined;

	it('n8n-workflow 1.x: sleepWithAbort(ms, signal)', () => {
		expect(hostSleep({ sleepWithAbort, sleep })).toBe(sleepWithAbort);
	});

	it('n8n-workflow 2.x dropped sleepWithAbort: its sleep(ms, signal) takes the signal', () => {
		expect(hostSleep({ sleep })).toBe(sleep);
	});

	it('refuses a module with neither', () => {
		expect(() => hostSleep({})).toThrow('n8n-workflow provides neither sleepWithAbort nor sleep');
	});

	it('the installed n8n-workflow gives an abortable sleep', async () => {
		const chosen = hostSleep(n8nWorkflow);
		const controller = new AbortController();
		const started = performance.now();
		const pending = chosen(60_000, controller.signal);
		controller.abort();
		await expect(pending).rejects.toBeDefined();
		expect(performance.now() - started).toBeLessThan(1_000);
	});
});
