// Writes the till API's OpenAPI document (server/http/api-v1/openapi.ts, generated from the
// handlers' zod schemas) to docs/openapi.json, then its TypeScript types for the till
// simulator with openapi-typescript: `npm run openapi`. tests/integration/till-api.test.ts
// fails when either file is stale.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../server/http/api-v1/openapi';

writeFileSync('docs/openapi.json', JSON.stringify(openApiDocument(), null, '\t') + '\n');
console.log('docs/openapi.json written');
