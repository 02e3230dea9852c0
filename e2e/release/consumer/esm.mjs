// The published packages used from an ES module: `import` resolves their ESM builds.
import exercise from './exercise.cjs';
import * as client from '@modelarts-kit/client';
import * as clientCore from '@modelarts-kit/client/core';
import * as clientEnv from '@modelarts-kit/client/env';
import * as emulator from '@modelarts-kit/emulator';

await exercise({
  label: 'esm',
  client,
  clientCore,
  clientEnv,
  emulator,
  resolved: {
    client: import.meta.resolve('@modelarts-kit/client'),
    emulator: import.meta.resolve('@modelarts-kit/emulator'),
  },
});
