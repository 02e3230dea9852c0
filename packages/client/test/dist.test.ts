import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The built package as it is published: zod bundled in (no runtime
// dependencies), private to the bundle, and working from both entry formats.
// Reads dist/ as the build left it (the test task depends on the build).

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = path.join(packageDir, 'dist');
const built = existsSync(path.join(distDir, 'index.js'));
const files = built ? readdirSync(distDir) : [];
const scripts = files.filter((file) => /\.(c|m)?js$/.test(file));
const declarations = files.filter((file) => /\.d\.(c|m)?ts$/.test(file));
const read = (file: string): string => readFileSync(path.join(distDir, file), 'utf8');

/** Every module a built file imports, requires or re-exports (with `dynamic` false, only static imports and re-exports). */
function specifiers(source: string, fileName: string, dynamic = true): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    }
    if (
      dynamic &&
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      const [first] = node.arguments;
      found.push(first && ts.isStringLiteral(first) ? first.text : '<dynamic>');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The ESM files an entry loads: itself and the chunks it imports, transitively (with `dynamic` false, those loaded at import time). */
function esmGraph(entry: string, dynamic = true): string[] {
  const seen = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(read(file), file, dynamic)) if (spec.startsWith('./')) walk(spec.slice(2));
  };
  walk(entry);
  return [...seen];
}

const DETECTION_BODY = JSON.stringify({
  is_success: true,
  images_tags: [{ image_id: 'img-1', tags: [{ tag: 'car', pos: [30, 40, 10, 20] }], size: [640, 480, 3] }],
});
const INVALID_BODY = JSON.stringify({ is_success: true, images_tags: [{ image_id: 'img-1', tags: [{ tag: 'car', pos: [1, 2, 3] }] }] });

/**
 * Loads the built package in a fresh Node process (ESM import or CJS
 * require), fetches a valid and an invalid body through a canned transport,
 * then loads the user's own zod, changes its settings and fetches again.
 */
function runBuilt(format: 'esm' | 'cjs'): Record<string, unknown> {
  const load =
    format === 'esm'
      ? `await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)})`
      : `require(${JSON.stringify(path.join(distDir, 'index.cjs'))})`;
  const loadZod = format === 'esm' ? `await import('zod')` : `require('zod')`;
  const script = `
    (async () => {
      const { ModelArtsClient, InvalidResponseError } = ${load};
      const clientFor = (body) => new ModelArtsClient({
        endpoint: 'http://127.0.0.1:9',
        projectId: '0123456789abcdef0123456789abcdef',
        auth: { token: 'dist-test' },
        maxRetries: 0,
        fetch: async () => ({ status: 200, headers: { get: (name) => (name === 'content-type' ? 'application/json' : null) }, text: async () => body }),
      });
      const fetchTags = (body) => clientFor(body).getImageTags({ annotationId: 'job-1', imageIds: ['img-1'] }, { onError: 'collect' });
      const failure = async () => {
        const { failed } = await fetchTags(${JSON.stringify(INVALID_BODY)});
        const error = failed[0]?.error;
        return { isInvalidResponse: error instanceof InvalidResponseError, path: error?.path, message: error?.message };
      };
      const valid = await fetchTags(${JSON.stringify(DETECTION_BODY)});
      const out = {
        jobType: valid.jobType,
        images: valid.images,
        invalid: await failure(),
        zodGlobals: ['__zod_globalConfig', '__zod_globalRegistry'].filter((key) => key in globalThis),
      };
      const z = ${loadZod};
      z.config({ customError: () => 'the user message', jitless: true });
      out.invalidAfterUserConfig = await failure();
      process.stdout.write(JSON.stringify(out));
    })().catch((error) => { console.error(error); process.exit(1); });
  `;
  const args = format === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' })) as Record<string, unknown>;
}

it('the package is built (turbo runs the build before the tests)', () => {
  expect(built, `no ${path.join(distDir, 'index.js')}: build the package first`).toBe(true);
});

describe.runIf(built)('the built package', () => {
  it('has no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const kind of ['dependencies', 'peerDependencies', 'optionalDependencies']) expect(manifest[kind] ?? {}, kind).toEqual({});
  });

  // node:crypto signs (the package root loads it through node:module on the first signature); the
  // Node transport of the package root loads the rest on its first request.
  const NODE_BUILTINS = new Set(['crypto', 'buffer', 'http', 'https', 'module', 'zlib'].flatMap((name) => [name, `node:${name}`]));

  it('bundles zod: no file imports it or any package but Node built-ins', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(6);
    for (const file of scripts) {
      const outside = specifiers(read(file), file).filter((spec) => !spec.startsWith('./') && !NODE_BUILTINS.has(spec));
      expect(outside, file).toEqual([]);
      expect(read(file), file).not.toMatch(/require\(["']zod|from\s*["']zod/);
    }
  });

  it('loads zod only with the first response: importing an entry point evaluates none of it', () => {
    for (const entry of ['index.js', 'core.js', 'env.js']) {
      const atImport = esmGraph(entry, false);
      const later = esmGraph(entry).filter((file) => !atImport.includes(file));
      expect(
        later.some((file) => read(file).includes('ZodMiniObject')),
        entry,
      ).toBe(true);
      for (const file of atImport) expect(read(file), file).not.toContain('ZodMiniObject');
    }
  });

  it('references no globalThis: the bundled zod keeps its settings to itself', () => {
    for (const file of scripts) expect(read(file), file).not.toMatch(/\bglobalThis\b/);
  });

  it('the core entry loads no Node transport: only node:crypto, in both formats', () => {
    for (const file of ['core.cjs', ...esmGraph('core.js')]) {
      const builtins = specifiers(read(file), file).filter((spec) => !spec.startsWith('./'));
      expect(
        builtins.filter((spec) => spec !== 'crypto' && spec !== 'node:crypto'),
        file,
      ).toEqual([]);
    }
  });

  it('the core entry references no process or timers either, in both formats', () => {
    for (const file of ['core.cjs', ...esmGraph('core.js')]) {
      expect(read(file), file).not.toMatch(/\b(globalThis|process|setTimeout|clearTimeout|setInterval|setImmediate)\b/);
    }
  });

  it('ships type declarations that do not mention zod (users do not have it)', () => {
    expect(declarations.length).toBeGreaterThanOrEqual(6);
    for (const file of declarations) expect(read(file), file).not.toMatch(/zod/);
  });

  it.each(['esm', 'cjs'] as const)(
    'parses and validates through the %s build, with the same messages whatever the user does to their zod',
    (format) => {
      const out = runBuilt(format);
      expect(out.jobType).toBe('detection');
      expect(out.images).toEqual([
        {
          type: 'detection',
          imageId: 'img-1',
          tags: [{ tag: 'car', box: { xmin: 10, ymin: 20, xmax: 30, ymax: 40 }, extra: {} }],
          size: { width: 640, height: 480, depth: 3 },
          extra: {},
        },
      ]);
      const invalid = {
        isInvalidResponse: true,
        path: 'images_tags[0].tags[0].pos',
        message: expect.stringContaining('at images_tags[0].tags[0].pos: Too small: expected array to have exactly 4 items'),
      };
      expect(out.invalid).toEqual(invalid);
      // Nothing of the bundled zod on the global object, and the user's settings do not reach it.
      expect(out.zodGlobals).toEqual([]);
      expect(out.invalidAfterUserConfig).toEqual(invalid);
    },
  );

  it.each(['esm', 'cjs'] as const)(
    'sends a real request through the default Node transport of the %s build (gzip body, keep-alive)',
    (format) => {
      const entry =
        format === 'esm'
          ? `await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)})`
          : `require(${JSON.stringify(path.join(distDir, 'index.cjs'))})`;
      const script = `
      (async () => {
        const http = require('node:http');
        const zlib = require('node:zlib');
        const { ModelArtsClient } = ${entry};
        let connections = 0;
        const server = http.createServer((req, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          res.end(zlib.gzipSync(${JSON.stringify(DETECTION_BODY)}));
        });
        server.on('connection', () => connections++);
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        const client = new ModelArtsClient({ endpoint: 'http://127.0.0.1:' + server.address().port, projectId: '0123456789abcdef0123456789abcdef', auth: { token: 'dist-test' } });
        const first = await client.getImageTags({ annotationId: 'job-1', imageIds: ['img-1'] });
        const second = await client.getImageTags({ annotationId: 'job-1', imageIds: ['img-1'] });
        server.close();
        process.stdout.write(JSON.stringify({ images: [first.images.length, second.images.length], connections }));
      })().catch((error) => { console.error(error); process.exit(1); });
    `;
      const args =
        format === 'esm'
          ? [
              '--input-type=module',
              '-e',
              script
                .replace("const http = require('node:http');", "const http = await import('node:http');")
                .replace("const zlib = require('node:zlib');", "const zlib = await import('node:zlib');"),
            ]
          : ['-e', script];
      const out = JSON.parse(execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' })) as Record<string, unknown>;
      expect(out).toEqual({ images: [1, 1], connections: 1 });
    },
  );

  /**
   * Imports an entry in a fresh process, reports whether node:crypto is loaded, then signs through it
   * (with `noGetBuiltin`, as on Node 20 before 20.16) and reports the signature and the loaded state again.
   */
  function cryptoLoading(entry: string, format: 'esm' | 'cjs', noGetBuiltin = false): Record<string, unknown> {
    const file = path.join(distDir, entry);
    const load = format === 'esm' ? `await import(${JSON.stringify(pathToFileURL(file).href)})` : `require(${JSON.stringify(file)})`;
    const script = `
      (async () => {
        ${noGetBuiltin ? 'delete process.getBuiltinModule;' : ''}
        const cryptoLoaded = () => process.moduleLoadList.includes('NativeModule crypto');
        const { signRequest } = ${load};
        const atImport = cryptoLoaded();
        const headers = signRequest({ method: 'POST', url: 'https://modelarts.example.com/v1/p', headers: {}, body: '{}' }, { accessKey: 'AK', secretKey: 'SK' }, { date: new Date(0) });
        process.stdout.write(JSON.stringify({ atImport, afterSigning: cryptoLoaded(), authorization: headers.authorization }));
      })().catch((error) => { console.error(error); process.exit(1); });
    `;
    // From a file: \`node -e\` in CommonJS mode loads node:crypto itself.
    const scriptFile = path.join(mkdtempSync(path.join(tmpdir(), 'modelarts-dist-')), format === 'esm' ? 'sign.mjs' : 'sign.cjs');
    writeFileSync(scriptFile, script);
    try {
      return JSON.parse(execFileSync(process.execPath, [scriptFile], { cwd: packageDir, encoding: 'utf8' })) as Record<string, unknown>;
    } finally {
      rmSync(path.dirname(scriptFile), { recursive: true, force: true });
    }
  }
  const SIGNATURE = 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=';

  it.each(['esm', 'cjs'] as const)('the package root loads node:crypto on the first signature, not at import (%s)', (format) => {
    for (const noGetBuiltin of [false, true]) {
      const out = cryptoLoading(format === 'esm' ? 'index.js' : 'index.cjs', format, noGetBuiltin);
      expect(out, `without process.getBuiltinModule: ${noGetBuiltin}`).toMatchObject({ atImport: false, afterSigning: true });
      expect(out.authorization).toMatch(new RegExp(`^${SIGNATURE}[0-9a-f]{64}$`));
    }
  });

  it('the core entries import node:crypto statically and sign the same bytes', () => {
    const root = cryptoLoading('index.js', 'esm').authorization;
    for (const [entry, format] of [
      ['core.js', 'esm'],
      ['core.cjs', 'cjs'],
      ['sandboxed/core.js', 'esm'],
    ] as const) {
      expect(cryptoLoading(entry, format), entry).toEqual({ atImport: true, afterSigning: true, authorization: root });
    }
  });
});
