// Run as a child process (node --import tsx fetch-once.ts root|env), so that
// process-wide TLS settings such as NODE_TLS_REJECT_UNAUTHORIZED and
// NODE_EXTRA_CA_CERTS apply as they would for a user. Prints one JSON line.
import { clientFromEnv } from '../../../src/env.js';
import { ModelArtsClient } from '../../../src/index.js';

const entry = process.argv[2];
try {
  const client =
    entry === 'env'
      ? clientFromEnv(process.env, { maxRetries: 0 })
      : new ModelArtsClient({
          endpoint: process.env.MODELARTS_ENDPOINT!,
          projectId: process.env.HUAWEICLOUD_SDK_PROJECT_ID!,
          auth: { token: process.env.MODELARTS_TOKEN! },
          maxRetries: 0,
        });
  const result = await client.getImageTags({ annotationId: '282', imageIds: ['a'] }, { onError: 'collect' });
  const error = result.failed[0]?.error;
  process.stdout.write(`${JSON.stringify(error ? { ok: false, name: error.name, message: error.message } : { ok: true })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, name: (error as Error).name, message: (error as Error).message })}\n`);
}
