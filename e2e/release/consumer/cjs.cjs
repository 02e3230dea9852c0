// The published packages used from CommonJS: `require` resolves their CommonJS builds.
'use strict';
const exercise = require('./exercise.cjs');

exercise({
  label: 'cjs',
  client: require('@modelarts-kit/client'),
  clientCore: require('@modelarts-kit/client/core'),
  clientEnv: require('@modelarts-kit/client/env'),
  emulator: require('@modelarts-kit/emulator'),
  resolved: {
    client: require.resolve('@modelarts-kit/client'),
    emulator: require.resolve('@modelarts-kit/emulator'),
  },
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
