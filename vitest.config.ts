import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// One config for the whole monorepo: each package is a project, so
// `vitest run --project <name>` runs one package and `vitest run` runs all.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'client',
          root: at('./packages/client'),
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          setupFiles: ['./test/support/node-crypto.ts'],
          typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'emulator',
          root: at('./packages/emulator'),
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'formats',
          root: at('./packages/formats'),
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'n8n-nodes-modelarts',
          root: at('./packages/n8n-nodes-modelarts'),
          include: ['nodes/**/*.test.ts', 'credentials/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'cli',
          root: at('./packages/cli'),
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'demo',
          root: at('./apps/demo'),
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 120_000,
          // The hooks launch and close Chromium (unpacking it on first use) and
          // start emulators: the same work as a test, so the same bound. With
          // the default 10 s a loaded machine failed a run whose tests passed.
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'release',
          root: at('./e2e/release'),
          include: ['*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      exclude: ['**/src/generated/**', '**/dist/**', '**/*.test.ts'],
    },
  },
});
