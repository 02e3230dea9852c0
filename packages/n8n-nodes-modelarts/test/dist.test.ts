import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID, DEFAULT_TOKEN, startEmulator, type RunningEmulator } from '@modelarts-kit/emulator';
import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxesOf, expectedRecord } from './support/expected';
import { itemsOf, runNode } from './support/n8n-context';

const packageDir = path.resolve(__dirname, '..');
// A fresh build of its own, so this test never races another task reading dist/. Inside the
// package, so that require() finds n8n-workflow as it does in n8n.
const buildDir = mkdtempSync(path.join(packageDir, '.dist-test-'));
const distDir = path.join(buildDir, 'dist');

/**
 * Globals n8n forbids in a community package's shipped code (its scanner
 * lints dist/, which holds the bundled client and zod), plus the Function
 * constructor and eval, which it forbids as code generation.
 */
const FORBIDDEN = new Set([
	'process',
	'global',
	'globalThis',
	'setTimeout',
	'clearTimeout',
	'setInterval',
	'clearInterval',
	'setImmediate',
	'clearImmediate',
	'__dirname',
	'__filename',
	'eval',
	'Function',
]);

/** A name in a position where it is a property or key, not a reference to a global. */
function isPropertyName(node: ts.Identifier): boolean {
	const { parent } = node;
	return (
		((ts.isPropertyAccessExpression(parent) ||
			ts.isPropertyAssignment(parent) ||
			ts.isMethodDeclaration(parent) ||
			ts.isPropertyDeclaration(parent) ||
			ts.isGetAccessor(parent) ||
			ts.isSetAccessor(parent)) &&
			parent.name === node) ||
		(ts.isBindingElement(parent) && parent.propertyName === node)
	);
}

/** Every reference to a forbidden global, and every require() of something other than n8n-workflow or crypto. */
export function findViolations(source: string, fileName = 'bundle.js'): string[] {
	const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
	const violations: string[] = [];
	const where = (node: ts.Node): string => {
		const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
		return `${fileName}:${line + 1}:${character + 1}`;
	};
	const visit = (node: ts.Node): void => {
		if (ts.isIdentifier(node) && FORBIDDEN.has(node.text) && !isPropertyName(node)) {
			violations.push(`${node.text} at ${where(node)}`);
		}
		if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
			const [specifier] = node.arguments;
			const name = specifier && ts.isStringLiteral(specifier) ? specifier.text : '<dynamic>';
			if (!['n8n-workflow', 'node:crypto', 'crypto'].includes(name)) violations.push(`require("${name}") at ${where(node)}`);
		}
		ts.forEachChild(node, visit);
	};
	visit(file);
	return violations;
}

/** The files of a ZIP, read with Node's zlib from the central directory: a reader apart from the writer's codec. */
function readZip(zip: Buffer): { files: Record<string, string>; methods: Map<string, number> } {
	const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	let at = zip.readUInt32LE(end + 16);
	const files: Record<string, string> = {};
	const methods = new Map<string, number>();
	for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
		const method = zip.readUInt16LE(at + 10);
		const compressed = zip.readUInt32LE(at + 20);
		const nameLength = zip.readUInt16LE(at + 28);
		const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
		const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
		const local = zip.readUInt32LE(at + 42);
		const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
		const body = zip.subarray(start, start + compressed);
		files[name] = (method === 8 ? inflateRawSync(body) : body).toString('utf8');
		methods.set(name, method);
		at += 46 + skip;
	}
	return { files, methods };
}

function distFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? distFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
	);
}

describe('the checker itself', () => {
	it('flags references to forbidden globals and code generation, not properties or keys of the same name', () => {
		const snippet = [
			'globalThis.x = 1;',
			'const F = Function;',
			'setTimeout(() => {}, 1);',
			'if (typeof process !== "undefined") {}',
			'obj.process.env;',
			'const o = { setTimeout: 1, global: 2 };',
			'const { globalThis: g } = o;',
			'class A { eval() {} }',
			'require("node:fs");',
			'require("n8n-workflow");',
		].join('\n');
		expect(findViolations(snippet, 'snippet.js')).toEqual([
			'globalThis at snippet.js:1:1',
			'Function at snippet.js:2:11',
			'setTimeout at snippet.js:3:1',
			'process at snippet.js:4:12',
			'require("node:fs") at snippet.js:9:1',
		]);
	});
});

describe('the built package', () => {
	beforeAll(() => {
		execFileSync(process.execPath, [path.join(packageDir, 'build', 'bundle.mjs'), '--outdir', distDir], { cwd: packageDir, stdio: 'pipe' });
	}, 120_000);
	afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

	it('ships CommonJS with no forbidden global, no code generation and no dependency but n8n-workflow', () => {
		const scripts = distFiles(distDir).filter((file) => file.endsWith('.js'));
		expect(scripts.map((file) => path.relative(distDir, file)).sort()).toEqual([
			'credentials/ModelArtsApi.credentials.js',
			'nodes/ModelArts/ModelArts.node.js',
			'nodes/ModelArtsTrigger/ModelArtsTrigger.node.js',
		]);
		for (const file of scripts) {
			const source = readFileSync(file, 'utf8');
			expect(findViolations(source, path.relative(packageDir, file))).toEqual([]);
			// A plain text search as a second opinion: not even in comments or strings.
			expect(source).not.toMatch(/\b(globalThis|setTimeout|setInterval|setImmediate|__dirname|__filename)\b/);
		}
	});

	it('bundles the client and zod (they are not dependencies) and leaves n8n-workflow to n8n', () => {
		const source = readFileSync(path.join(distDir, 'nodes', 'ModelArts', 'ModelArts.node.js'), 'utf8');
		// The client's sandboxed core build: the core client, and zod set to run without its JIT.
		expect(source).toContain('runtime.sleep is required by the core entry point');
		expect(source).toMatch(/__zod_globalConfig: { jitless: (true|!0) }/);
		expect(source).toContain('__zod_globalConfig');
		expect(source).toContain('require("n8n-workflow")');
		const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(existsSync(path.join(buildDir, entry))).toBe(true);
		for (const asset of ['ModelArts.node.json', 'modelarts.svg', 'modelarts.dark.svg']) {
			expect(existsSync(path.join(distDir, 'nodes', 'ModelArts', asset))).toBe(true);
		}
		const codex = JSON.parse(readFileSync(path.join(distDir, 'nodes', 'ModelArts', 'ModelArts.node.json'), 'utf8'));
		expect(codex.node).toBe(`${manifest.name}.modelArts`);
		// In category AI, n8n's node panel would leave the node out of its search (n8n makes the tool variant's AI codex itself).
		expect(codex.categories).toEqual(['Data & Storage']);
		expect(codex.subcategories).toBeUndefined();
		// The trigger: its own codex (found by searching "ModelArts") and the same icons.
		for (const asset of ['ModelArtsTrigger.node.json', 'modelarts.svg', 'modelarts.dark.svg']) {
			expect(existsSync(path.join(distDir, 'nodes', 'ModelArtsTrigger', asset))).toBe(true);
		}
		const triggerCodex = JSON.parse(readFileSync(path.join(distDir, 'nodes', 'ModelArtsTrigger', 'ModelArtsTrigger.node.json'), 'utf8'));
		expect(triggerCodex.node).toBe(`${manifest.name}.modelArtsTrigger`);
		expect(triggerCodex.alias).toContain('ModelArts');
	});

	describe('loaded with require(), as n8n loads it', () => {
		let emulator: RunningEmulator;
		let node: IVersionedNodeType;
		let credential: ICredentialType;
		beforeAll(async () => {
			emulator = await startEmulator({ imagesPerJob: 50 });
			const load = createRequire(__filename);
			node = new (load(path.join(distDir, 'nodes', 'ModelArts', 'ModelArts.node.js')).ModelArts)();
			credential = new (load(path.join(distDir, 'credentials', 'ModelArtsApi.credentials.js')).ModelArtsApi)();
		});
		afterAll(async () => emulator.close());

		it('describes a tool-usable node with light and dark icons and its credential', () => {
			const description = (node.getNodeType(1) as INodeType).description;
			expect(description).toMatchObject({
				name: 'modelArts',
				// The tool variant tells the model more than the one-line panel description.
				usableAsTool: { replacements: { description: expect.stringContaining('pass the IDs of the images') } },
				icon: { light: 'file:modelarts.svg', dark: 'file:modelarts.dark.svg' },
				credentials: [{ name: 'modelArtsApi', required: true }],
				inputs: ['main'],
				outputs: ['main'],
			});
			expect(description.subtitle).toContain('$parameter["operation"]');
			expect(description.description).toBe('List, read and write the jobs, images and tags of Huawei Cloud ModelArts annotation jobs');
			expect(credential.name).toBe('modelArtsApi');
			expect(credential.test).toBeDefined();
			expect(typeof credential.authenticate).toBe('function');
		});

		it.each([
			['token', { authType: 'token', token: DEFAULT_TOKEN }],
			['AK/SK', { authType: 'accessKey', ...DEFAULT_CREDENTIALS }],
		])('fetches tags with %s through the bundled credential and node', async (_, auth) => {
			const job = emulator.jobs.detection;
			const ids = job.imageIds.slice(0, 12);
			const { output } = await runNode({
				nodeType: node,
				credentialType: credential,
				items: itemsOf([{ ids: ids.join(',') }]),
				parameters: {
					resource: 'image',
					operation: 'getTags',
					annotationId: job.id,
					imageIds: (_i: number, item: { json: Record<string, unknown> }) => item.json.ids,
					options: { batchSize: 5 },
				},
				credentials: { endpointType: 'custom', endpoint: emulator.url, projectId: DEFAULT_PROJECT_ID, ...auth },
			});
			expect(output.map((item) => item.json)).toEqual(ids.map((id) => expectedRecord(emulator.groundTruth(job.id, id)!)));
		});

		it("exports a detection manifest as a ZIP through the bundled node, deflated without Node's zlib, that Node's zlib reads back", async () => {
			const job = emulator.jobs.detection;
			const ids = job.imageIds.slice(0, 30);
			const { output } = await runNode({
				nodeType: node,
				credentialType: credential,
				items: itemsOf([{ ids }]),
				parameters: {
					resource: 'image',
					operation: 'exportTags',
					annotationId: job.id,
					imageIds: (_i: number, item: { json: Record<string, unknown> }) => item.json.ids,
					format: 'manifest',
				},
				credentials: {
					endpointType: 'custom',
					endpoint: emulator.url,
					projectId: DEFAULT_PROJECT_ID,
					authType: 'token',
					token: DEFAULT_TOKEN,
				},
			});
			const { files, methods } = readZip(Buffer.from(output[0]!.binary!.data!.data, 'base64'));
			// VOC files over 512 bytes are deflated whole, the manifest as a stream: both ways of the codec.
			expect(methods.get('annotations.manifest')).toBe(8);
			expect([...methods.values()].filter((method) => method === 8).length).toBeGreaterThan(1);
			const labelled = ids.filter((id) => boxesOf(emulator.groundTruth(job.id, id)!).length > 0);
			expect(Object.keys(files)).toEqual([...labelled.map((id) => `Annotations/${id}.xml`), 'annotations.manifest']);
			const lines = files['annotations.manifest']!.trim()
				.split('\n')
				.map((line) => JSON.parse(line));
			expect(lines.map((line) => line.id)).toEqual(ids);
			for (const id of labelled) {
				const names = [...files[`Annotations/${id}.xml`]!.matchAll(/<name>([^<]*)<\/name>/g)].map((match) => match[1]);
				expect(names).toEqual(boxesOf(emulator.groundTruth(job.id, id)!).map((box) => box.tag));
			}
		});
	});
});
