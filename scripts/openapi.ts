// Writes the OpenAPI document the server serves at /api/openapi.json to docs/openapi.json.
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../apps/server/src/platform/config';
import { createServer } from '../apps/server/src/server';

const config = loadConfig({ logLevel: 'silent', dataDir: 'unused' }, {});
const server = await createServer({
  ...config,
  database: { kind: 'pglite', dataDir: 'memory://' },
  role: 'web',
});
try {
  writeFileSync('docs/openapi.json', `${JSON.stringify(server.app.swagger(), null, 2)}\n`);
} finally {
  await server.stop();
}
