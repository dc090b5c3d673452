/**
 * The till API's per-key rate limit (SPEC C13): a token bucket per integration key, in this
 * instance's memory — `perSecond` requests a second on average, bursts of `burst`. Past it the
 * request is answered 429 `rate_limited` with Retry-After, before its body is read and before
 * any statement of its own. Per instance: it sheds load where the load lands (N instances
 * behind a balancer admit up to N× the rate); the key check itself is never cached.
 *
 * KOPEK_API_RATE (requests/s per key, default 50) and KOPEK_API_BURST (default 100) set it.
 */
export interface RateLimit {
	/** null: admitted; else the whole seconds until one request would be. */
	take(keyId: string, nowMs?: number): number | null;
}

export function createRateLimit(
	perSecond = Number(process.env.KOPEK_API_RATE ?? 50),
	burst = Number(process.env.KOPEK_API_BURST ?? 100)
): RateLimit {
	const buckets = new Map<string, { tokens: number; at: number }>();
	let swept = 0;
	return {
		take(keyId, nowMs = Date.now()) {
			// Forget full buckets now and then (a key idle for burst/perSecond s is full again).
			if (nowMs - swept > 60_000) {
				swept = nowMs;
				for (const [id, b] of buckets)
					if (b.tokens + ((nowMs - b.at) / 1000) * perSecond >= burst) buckets.delete(id);
			}
			const b = buckets.get(keyId) ?? { tokens: burst, at: nowMs };
			b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * perSecond);
			b.at = nowMs;
			buckets.set(keyId, b);
			if (b.tokens >= 1) {
				b.tokens -= 1;
				return null;
			}
			return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
		}
	};
}
