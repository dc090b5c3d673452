import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { AttemptResult } from '../repositories/webhook-outbox';
import { guardedLookup, isForbiddenAddress } from './webhook-ssrf';

/** Longest wait for an answer (SPEC C14: 15 s). */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** Bytes of an answer kept in the log. */
export const RESPONSE_HEAD_BYTES = 1024;

/**
 * Kept-alive connections per process (a busy endpoint is not dialled again for every delivery),
 * apart for guarded and private sends, so that a socket is only ever reused under the rule it
 * was opened under.
 */
const agents = {
	guarded: {
		http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
		https: new https.Agent({ keepAlive: true, maxSockets: 64 })
	},
	open: {
		http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
		https: new https.Agent({ keepAlive: true, maxSockets: 64 })
	}
};

/** Endpoint URLs parsed once (every delivery to an endpoint has the same). */
const parsed = new Map<string, URL | null>();

function parsedUrl(url: string): URL | null {
	let target = parsed.get(url);
	if (target === undefined) {
		try {
			target = new URL(url);
		} catch {
			target = null;
		}
		if (parsed.size >= 1000) parsed.clear();
		parsed.set(url, target);
	}
	return target;
}

/**
 * POSTs one signed delivery. No redirect is followed (a 3xx is a failed attempt), at most
 * RESPONSE_HEAD_BYTES of the answer are read and kept, and the whole exchange is cut at
 * `timeoutMs`. Without `allowPrivate` the address connected to is checked by the SSRF guard.
 */
export function postWebhook(
	url: string,
	headers: Record<string, string>,
	body: string,
	options: { allowPrivate: boolean; timeoutMs?: number }
): Promise<AttemptResult> {
	const started = performance.now();
	const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
	const done = (
		statusCode: number | null,
		responseHead: string | null,
		error: string | null
	): AttemptResult => ({
		statusCode,
		durationMs: performance.now() - started,
		responseHead,
		error
	});
	const target = parsedUrl(url);
	if (!target) return Promise.resolve(done(null, null, 'invalid_url'));
	const host = target.hostname.replace(/^\[|\]$/g, '');
	if (!options.allowPrivate) {
		if (target.protocol !== 'https:') return Promise.resolve(done(null, null, 'not_https'));
		if (isIP(host) && isForbiddenAddress(host))
			return Promise.resolve(done(null, null, 'private_address'));
	}
	const secure = target.protocol === 'https:';
	const client = secure ? https : http;
	const pool = agents[options.allowPrivate ? 'open' : 'guarded'];
	return new Promise((resolve) => {
		let settled = false;
		const finish = (result: AttemptResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(result);
		};
		const request = client.request(
			target,
			{
				method: 'POST',
				headers: {
					...headers,
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
					'user-agent': 'Kopek-Webhooks/1'
				},
				agent: secure ? pool.https : pool.http,
				...(options.allowPrivate ? {} : { lookup: guardedLookup })
			},
			(response) => {
				const chunks: Buffer[] = [];
				let kept = 0;
				const close = () => {
					const head = Buffer.concat(chunks).subarray(0, RESPONSE_HEAD_BYTES).toString('utf8');
					finish(done(response.statusCode ?? null, head, null));
				};
				response.on('data', (chunk: Buffer) => {
					if (kept < RESPONSE_HEAD_BYTES) chunks.push(chunk);
					kept += chunk.length;
					// Enough kept: the rest is not read (the connection is dropped, not reused).
					if (kept >= RESPONSE_HEAD_BYTES) {
						close();
						response.destroy();
					}
				});
				response.on('end', close);
				response.on('error', close);
			}
		);
		const timer = setTimeout(() => {
			finish(done(null, null, 'timeout'));
			request.destroy();
		}, timeoutMs);
		request.on('error', (error) => finish(done(null, null, error.message.slice(0, 200))));
		request.end(body);
	});
}
