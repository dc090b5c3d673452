import type { RequestHandler } from './$types';
import { handleApiV1 } from '$server/http/api-v1/handler';

// The till API (SPEC C13): Bearer keys only; hooks.server.ts reads no cookie for /api/v1.
const serve: RequestHandler = ({ request, locals }) => handleApiV1(locals.db, request);
export const GET: RequestHandler = serve;
export const POST: RequestHandler = serve;
export const PUT: RequestHandler = serve;
export const PATCH: RequestHandler = serve;
export const DELETE: RequestHandler = serve;
