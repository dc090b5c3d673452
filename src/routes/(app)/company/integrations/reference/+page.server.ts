import { openApiDocument } from '$server/http/api-v1/openapi';
import type { PageServerLoad } from './$types';

/** The till API's reference, read from the same OpenAPI document /api/v1/openapi.json serves. */
export const load: PageServerLoad = () => ({ doc: openApiDocument() });
