// The ModelArts emulator in its own process (forked by the benchmark). argv[2] is a JSON object of
// emulator options. Sends { type: 'ready', url, projectId, jobs } over IPC, where jobs carries the
// image IDs of each seeded job; answers { type: 'stats' } and exits on 'close'.
import { startEmulator } from '@modelarts-kit/emulator';

// Forked with an IPC channel, so process.send is always there.
const send = /** @type {(message: unknown) => void} */ (process.send?.bind(process));

const options = JSON.parse(process.argv[2] ?? '{}');
const emulator = await startEmulator(options);
/** @type {Record<string, { id: string, type: string, imageIds: string[] }>} */
const jobs = {};
for (const [name, job] of Object.entries(emulator.jobs)) {
  jobs[name] = { id: job.id, type: job.type, imageIds: [...job.imageIds] };
}
send({ type: 'ready', url: emulator.url, projectId: emulator.projectId, jobs });

process.on('message', (/** @type {{ type?: string } | undefined} */ message) => {
  if (message?.type === 'stats') send({ type: 'stats', stats: structuredClone(emulator.stats) });
  if (message?.type === 'reset') {
    emulator.resetStats();
    send({ type: 'reset' });
  }
  if (message?.type === 'close') void emulator.close().then(() => process.exit(0));
});
process.on('disconnect', () => void emulator.close().then(() => process.exit(0)));
