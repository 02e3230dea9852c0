import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { ModelArts } from '../nodes/ModelArts/ModelArts.node';
import { ModelArtsTrigger } from '../nodes/ModelArtsTrigger/ModelArtsTrigger.node';

const packageDir = path.resolve(__dirname, '..');
const templatesDir = path.join(packageDir, 'templates');
const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');

/** n8n's core nodes the templates use, with the version they are written for (the e2e checks them against real n8n 1.x and 2.x). */
const CORE_NODES: Record<string, number[]> = {
	'n8n-nodes-base.postgres': [2.5],
	'n8n-nodes-base.slack': [2.2],
	'n8n-nodes-base.code': [2],
	'n8n-nodes-base.s3': [1],
	'n8n-nodes-base.extractFromFile': [1],
	'n8n-nodes-base.httpRequest': [4.2],
};

const ours: Record<string, { versions: number[]; properties: (version: number) => INodeProperties[] }> = {
	[`${manifest.name}.modelArtsTrigger`]: { versions: [1], properties: () => new ModelArtsTrigger().description.properties },
	[`${manifest.name}.modelArts`]: {
		versions: [1, 1.1],
		properties: (version) => (new ModelArts().nodeVersions[version] as INodeType).description.properties,
	},
};

/** The values an options parameter allows (across its display variants). */
const allowed = (properties: INodeProperties[], name: string): unknown[] =>
	properties
		.filter((property) => property.name === name)
		.flatMap((property) => (property.options ?? []).map((option) => (option as { value: unknown }).value));

interface TemplateNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}

const files = readdirSync(templatesDir).filter((file) => file.endsWith('.json'));

describe('workflow templates', () => {
	it('exist, and the README links each one', () => {
		expect(files.length).toBeGreaterThanOrEqual(2);
		for (const file of files) expect(readme).toContain(`templates/${file}`);
	});

	for (const file of files) {
		it(`${file}: parses, links only its own nodes, and uses only existing node types and parameter values`, () => {
			const workflow = JSON.parse(readFileSync(path.join(templatesDir, file), 'utf8')) as {
				name: string;
				nodes: TemplateNode[];
				connections: Record<string, { main: { node: string }[][] }>;
			};
			expect(workflow.name).toMatch(/^ModelArts: /);
			const names = workflow.nodes.map((node) => node.name);
			expect(new Set(names).size).toBe(names.length);
			for (const [from, { main }] of Object.entries(workflow.connections)) {
				expect(names).toContain(from);
				for (const target of main.flat()) expect(names).toContain(target.node);
			}
			expect(workflow.nodes.some((node) => node.type === `${manifest.name}.modelArtsTrigger`)).toBe(true);
			for (const node of workflow.nodes) {
				const own = ours[node.type];
				if (!own) {
					expect(CORE_NODES[node.type], `${node.name}: ${node.type}`).toContain(node.typeVersion);
					continue;
				}
				expect(own.versions).toContain(node.typeVersion);
				const properties = own.properties(node.typeVersion);
				for (const name of ['event', 'resource', 'operation', 'emitOn']) {
					if (name in node.parameters) expect(allowed(properties, name), `${node.name}: ${name}`).toContain(node.parameters[name]);
				}
				const known = new Set([...properties.map((property) => property.name), 'pollTimes']);
				for (const name of Object.keys(node.parameters)) expect(known, `${node.name}: parameter ${name}`).toContain(name);
			}
		});
	}
});
