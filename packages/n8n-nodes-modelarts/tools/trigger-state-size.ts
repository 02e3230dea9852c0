// Prints how large the ModelArts Trigger's stored state gets for a 100,000-image job, in each of
// its forms, and how long encoding and decoding take (numbers to read, nothing asserted).
// Run: npx tsx tools/trigger-state-size.ts [images]
import { randomBytes, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ImageTags } from '@modelarts-kit/client/core';
import { canonicalTags, digestOf } from '../nodes/ModelArtsTrigger/trigger/canonical';
import { decodeState, encodeState } from '../nodes/ModelArtsTrigger/trigger/state';

const count = Number(process.argv[2] ?? 100_000);
const NAMES = ['car', 'bus', 'person', 'bicycle', 'truck', 'traffic light', 'dog', 'cat', '自行车', 'sign'];

const classification = (): ImageTags => ({
	type: 'classification',
	imageId: '',
	tags: Array.from({ length: randomInt(1, 4) }, () => NAMES[randomInt(NAMES.length)]!),
	extra: {},
});
const detection = (): ImageTags => ({
	type: 'detection',
	imageId: '',
	tags: Array.from({ length: randomInt(1, 5) }, () => {
		const [xmin, ymin] = [randomInt(3000), randomInt(2000)];
		return {
			tag: NAMES[randomInt(NAMES.length)]!,
			box: { xmin, ymin, xmax: xmin + randomInt(1, 900), ymax: ymin + randomInt(1, 900) },
			extra: {},
		};
	}),
	extra: {},
});

const forms: Record<string, () => string> = {
	'Images Labelled / New Untagged (tagged or not)': () => (randomInt(2) ? '#' : ''),
	'Tags Changed, digests (Include Previous Tags off)': () => digestOf(canonicalTags(detection())),
	'Tags Changed, classification tags kept': () => canonicalTags(classification()),
	'Tags Changed, detection boxes kept': () => canonicalTags(detection()),
};

console.log(`${count.toLocaleString('en')} images, 32-hex image IDs`);
for (const [name, value] of Object.entries(forms)) {
	const images = new Map<string, string>();
	for (let index = 0; index < count; index++) images.set(randomBytes(16).toString('hex'), value());
	const state = { key: '282', counts: { tagged: 0, untagged: 0, tags: {} }, images, pollsSinceFull: 0 };
	let started = performance.now();
	const json = JSON.stringify(encodeState(state));
	const encodeMs = performance.now() - started;
	started = performance.now();
	decodeState(JSON.parse(json));
	const decodeMs = performance.now() - started;
	const kib = json.length / 1024;
	console.log(
		`${name}: ${kib.toFixed(0)} KiB stored (${((json.length / count) | 0).toString()} B per image), encode ${encodeMs.toFixed(0)} ms, decode ${decodeMs.toFixed(0)} ms`,
	);
}
