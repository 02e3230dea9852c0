#!/usr/bin/env node
// Builds the package as n8n loads it: one CommonJS file per node and per credential under dist/,
// with the ModelArts client (and the zod inside it), the formats package (exports and label QA) and
// fflate's DEFLATE bundled in (the published package has no dependencies) and
// n8n-workflow left to the n8n instance (a peer dependency). Icons and the codex file are copied
// next to the node. esbuild directly rather than tsup: tsup treats any import ending in ".node"
// (as n8n's `./v1/ModelArtsV1.node` is) as a native addon.
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` builds elsewhere (the dist test does, so it never races a pack of dist/).
const outdirFlag = process.argv.indexOf('--outdir');
const dist = outdirFlag > 0 ? path.resolve(process.argv[outdirFlag + 1]) : path.join(root, 'dist');

/**
 * The client is bundled from its built package, as any consumer would use it. Only its `core` entry
 * point may be imported: the package root carries Node.js defaults (timers, node:http) that n8n's
 * rules forbid in a community node. The `modelarts-kit-sandboxed` condition picks the core build for
 * such hosts: its bundled zod is private (no `globalThis`, whose use n8n's scanner forbids), runs
 * without its JIT, and has no Function constructor (n8n forbids generating code at run time). The
 * dist test proves no reference to either global is left.
 */
const coreEntryOnly = {
	name: 'client-core-entry-only',
	setup(builder) {
		builder.onResolve({ filter: /^@modelarts-kit\/client(\/.*)?$/ }, (args) =>
			args.path === '@modelarts-kit/client/core'
				? undefined
				: { errors: [{ text: `${args.path}: import from @modelarts-kit/client/core, the entry point without Node.js defaults` }] },
		);
	},
};

/**
 * fflate's package root resolves, for Node, to a build that loads worker_threads through `module`;
 * n8n lets a community node load no Node module but crypto. Its browser build is plain JavaScript
 * (only the synchronous deflate is bundled: no Worker, no timer).
 */
const fflateBrowserOnly = {
	name: 'fflate-browser-build-only',
	setup(builder) {
		builder.onResolve({ filter: /^fflate(\/.*)?$/ }, (args) =>
			args.path === 'fflate/browser'
				? undefined
				: { errors: [{ text: `${args.path}: import from fflate/browser, the build that loads no Node module` }] },
		);
	},
};

await rm(dist, { recursive: true, force: true });
const result = await build({
	absWorkingDir: root,
	entryPoints: {
		'nodes/ModelArts/ModelArts.node': 'nodes/ModelArts/ModelArts.node.ts',
		'nodes/ModelArtsTrigger/ModelArtsTrigger.node': 'nodes/ModelArtsTrigger/ModelArtsTrigger.node.ts',
		'credentials/ModelArtsApi.credentials': 'credentials/ModelArtsApi.credentials.ts',
	},
	outdir: dist,
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	external: ['n8n-workflow'],
	conditions: ['modelarts-kit-sandboxed'],
	plugins: [coreEntryOnly, fflateBrowserOnly],
	treeShaking: true,
	legalComments: 'none',
	metafile: true,
	logLevel: 'warning',
});

for (const [node, codex] of [
	['ModelArts', 'ModelArts.node.json'],
	['ModelArtsTrigger', 'ModelArtsTrigger.node.json'],
]) {
	for (const file of [codex, 'modelarts.svg', 'modelarts.dark.svg']) {
		await cp(path.join(root, 'nodes', node, file), path.join(dist, 'nodes', node, file));
	}
}

const sizes = Object.entries(result.metafile.outputs).map(
	([file, { bytes }]) => `${path.relative(dist, path.resolve(root, file))} ${(bytes / 1024).toFixed(1)} KiB`,
);
console.log(`built into ${path.relative(root, dist) || '.'}: ${sizes.join(', ')}`);
