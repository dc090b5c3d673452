import type { RequestHead } from '../http/request-head';

/**
 * SvelteKit's CSRF check covers form posts only; a JSON POST to /api/trpc from another site
 * would pass it. A state-changing request is refused when the browser says it comes from
 * another site: `Sec-Fetch-Site: cross-site`, or an `Origin` that is not ours.
 * Requests with neither header (curl, server-to-server, old browsers) are allowed: a browser
 * that does cross-site requests always sends Origin on POST.
 */
export function isCrossSiteRequest(request: RequestHead, appOrigin: string): boolean {
	if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') {
		return false;
	}
	const fetchSite = request.headers.get('sec-fetch-site');
	if (fetchSite === 'cross-site' || fetchSite === 'same-site') return true;
	const origin = request.headers.get('origin');
	if (origin !== null && origin !== appOrigin) return true;
	return false;
}
