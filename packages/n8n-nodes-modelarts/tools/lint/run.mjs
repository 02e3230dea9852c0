#!/usr/bin/env node
// Runs n8n's own checks for community node packages over this package:
//   1. `n8n-node lint` (@n8n/node-cli, strict mode) over the package source;
//   2. @n8n/scan-community-package's analyzePackage over the same source;
//   3. analyzePackage over the packed tarball's dist, as n8n's scanner checks a published version.
//
// The tools live in this folder with their own lockfile, apart from the workspace: they depend on
// n8n-workflow 2.x, whose isolated-vm does not build on Node 20 and would break the workspace's
// `npm ci`. They are installed here on first use (with --ignore-scripts: nothing of them needs a
// build step) and reused while the lockfile is unchanged.
//
// "The package source" is what ships and what n8n's scanner calls source: package.json, nodes/ and
// credentials/ (plus the eslint config strict mode requires). It is copied into .stage/ next to the
// tools so that `@n8n/node-cli/eslint` resolves from it; tests and build scripts are not part of it.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const toolsDir = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(toolsDir, '..', '..');
const stageDir = path.join(toolsDir, '.stage');
const modulesDir = path.join(toolsDir, 'node_modules');
const SHIPPED_SOURCE = ['package.json', 'eslint.config.mjs', 'README.md', 'nodes', 'credentials'];

function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: 'inherit', ...options });
		child.on('error', reject);
		child.on('close', (code) => resolve(code ?? 1));
	});
}

function capture(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
	});
}

async function ensureTools() {
	const marker = path.join(modulesDir, '.package-lock.json');
	const lock = path.join(toolsDir, 'package-lock.json');
	if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
	console.log('Installing the n8n lint tools (once) ...');
	const code = await run('npm', ['ci', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund'], {
		cwd: toolsDir,
		// eslint-plugin-n8n-nodes-base's preinstall asks to run only-allow; never wait for an answer.
		env: { ...process.env, npm_config_yes: 'true' },
	});
	if (code !== 0) throw new Error(`npm ci in ${toolsDir} failed (${code})`);
}

async function stageSource() {
	await fs.rm(stageDir, { recursive: true, force: true });
	await fs.mkdir(stageDir, { recursive: true });
	for (const entry of SHIPPED_SOURCE) {
		await fs.cp(path.join(packageDir, entry), path.join(stageDir, entry), { recursive: true });
	}
	// The staged package sees the tools (eslint, @n8n/node-cli/eslint) as its own dependencies.
	await fs.symlink(modulesDir, path.join(stageDir, 'node_modules'), 'dir');
}

async function packDist() {
	// Always from a fresh build, so the scan never passes on a stale dist.
	const code = await run('npm', ['run', '--silent', 'build'], { cwd: packageDir });
	if (code !== 0) throw new Error('the build failed');
	const dest = await fs.mkdtemp(path.join(os.tmpdir(), 'modelarts-n8n-pack-'));
	const [packed] = JSON.parse(
		await capture('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: packageDir }),
	);
	const unpacked = path.join(dest, 'package');
	await capture('tar', ['-xzf', path.join(dest, packed.filename), '-C', dest]);
	return { dest, unpacked, packed };
}

function report(label, result) {
	if (result.passed) {
		console.log(`PASS ${label}${result.message ? ` (${result.message})` : ''}`);
		return true;
	}
	console.log(`FAIL ${label}: ${result.message}`);
	if (result.details) console.log(result.details);
	return false;
}

async function main() {
	await ensureTools();
	await stageSource();

	console.log('\n== n8n-node lint (package source) ==');
	const lintCode = await run(path.join(modulesDir, '.bin', 'n8n-node'), ['lint'], {
		cwd: stageDir,
		env: { ...process.env, CI: 'true', FORCE_COLOR: '0' },
	});
	const lintPassed = lintCode === 0;
	console.log(lintPassed ? 'PASS n8n-node lint' : `FAIL n8n-node lint (exit ${lintCode})`);

	const scanner = await import(pathToFileURL(path.join(modulesDir, '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs')).href);
	console.log('\n== @n8n/scan-community-package analyzePackage ==');
	const sourcePassed = report('scanner over the package source', await scanner.analyzePackage(stageDir, scanner.SOURCE_FILE_PATTERNS));

	const { dest, unpacked, packed } = await packDist();
	let distPassed;
	try {
		const files = packed.files.map((file) => file.path);
		console.log(
			`packed ${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(1)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked`,
		);
		distPassed = report('scanner over the packed dist', await scanner.analyzePackage(unpacked, ['**/*.js', 'package.json']));
	} finally {
		await fs.rm(dest, { recursive: true, force: true });
	}

	const passed = [lintPassed, sourcePassed, distPassed].filter(Boolean).length;
	console.log(`\nn8n lint and scan: ${passed} passed, ${3 - passed} failed`);
	return passed === 3 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
