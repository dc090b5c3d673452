/**
 * The answers Kopek gives while it cannot do its work (the database is away, or a request ran
 * past its bound): HTTP 503 with Retry-After, as a tRPC error for /api/trpc — which the
 * counter treats as transient and retries — and as a Russian page for people.
 */
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { DATABASE_UNAVAILABLE_MESSAGE, RETRY_AFTER_SECONDS } from '../db/availability';

/** The longest any request may take before it is answered 503 (issue 7: "~10 s"). */
export const REQUEST_TIMEOUT_MS = 10_000;

function trpcError(
	path: string,
	code: 'SERVICE_UNAVAILABLE' | 'PAYLOAD_TOO_LARGE' | 'BAD_REQUEST'
) {
	const httpStatus =
		code === 'SERVICE_UNAVAILABLE' ? 503 : code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
	const message =
		code === 'SERVICE_UNAVAILABLE'
			? DATABASE_UNAVAILABLE_MESSAGE
			: code === 'PAYLOAD_TOO_LARGE'
				? 'Запрос слишком большой'
				: 'Неверный запрос';
	// superjson's wire form of a plain object is { json }; the client reads data.code/httpStatus.
	return {
		error: {
			json: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus, path } }
		}
	};
}

/**
 * A tRPC-shaped error response for a request to /api/trpc: one error per call of a batch
 * (`a,b?batch=1`), one error otherwise.
 */
export function trpcErrorResponse(
	url: URL,
	code: 'SERVICE_UNAVAILABLE' | 'PAYLOAD_TOO_LARGE' | 'BAD_REQUEST'
): Response {
	const paths = decodeURIComponent(url.pathname.replace(/^\/api\/trpc\/?/, '')).split(',');
	const batch = url.searchParams.get('batch') === '1';
	const body = batch ? paths.map((path) => trpcError(path, code)) : trpcError(paths[0] ?? '', code);
	const status = code === 'SERVICE_UNAVAILABLE' ? 503 : code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'cache-control': 'no-store'
	};
	if (status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
	return new Response(JSON.stringify(body), { status, headers });
}

const PAGE = `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS * 2}">
<title>Kopek временно недоступен</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;background:#f5f7f6;color:#1a1a1a}
main{max-width:32rem;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}p{line-height:1.5}.en{color:#555;font-size:.9rem}
</style>
</head>
<body>
<main role="alert">
<h1>Kopek временно недоступен</h1>
<p>Сервис временно недоступен: мы уже восстанавливаем работу. Страница обновится сама через несколько секунд.</p>
<p>Оплаты на кассе продолжают приниматься без связи и отправятся, когда сервис снова заработает.</p>
<p class="en" lang="en">Kopek is temporarily unavailable. This page will reload by itself.</p>
</main>
</body>
</html>`;

/** The Russian «временно недоступно» page, 503 with Retry-After. */
export function unavailablePage(): Response {
	return new Response(PAGE, {
		status: 503,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'retry-after': String(RETRY_AFTER_SECONDS)
		}
	});
}

/** The 503 answer for this request: JSON for the API, the page for everything else. */
export function unavailableResponse(url: URL): Response {
	if (url.pathname.startsWith('/api/trpc')) return trpcErrorResponse(url, 'SERVICE_UNAVAILABLE');
	return unavailablePage();
}
