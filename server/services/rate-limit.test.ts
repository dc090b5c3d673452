import { describe, expect, it } from 'vitest';
import { rateVerdict } from './rate-limit';

const now = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const minute = { windowMs: 60_000, max: 60 };
const day = { windowMs: 24 * 3600_000, max: 600 };

describe('rateVerdict', () => {
	it('allows while every window has room', () => {
		expect(
			rateVerdict(
				[
					{ ...minute, count: 59, nthNewest: null },
					{ ...day, count: 599, nthNewest: null }
				],
				now
			)
		).toEqual({ ok: true });
	});

	it('a full window refuses until its max-th newest action is a window old', () => {
		expect(rateVerdict([{ ...minute, count: 60, nthNewest: ago(45_000) }], now)).toEqual({
			ok: false,
			retryAfterSeconds: 15
		});
	});

	it('when both are full, the later moment decides', () => {
		const verdict = rateVerdict(
			[
				{ ...minute, count: 60, nthNewest: ago(30_000) },
				{ ...day, count: 600, nthNewest: ago(23 * 3600_000) }
			],
			now
		);
		expect(verdict).toEqual({ ok: false, retryAfterSeconds: 3600 });
	});

	it('several actions at once (a sync batch with unknown customers): all fit, or none', () => {
		// 56 of 60 taken: 4 more fit, 5 do not until the 56th newest (max − need + 1) ages out.
		expect(rateVerdict([{ ...minute, count: 56, nthNewest: null }], now, 4)).toEqual({ ok: true });
		expect(rateVerdict([{ ...minute, count: 56, nthNewest: ago(50_000) }], now, 5)).toEqual({
			ok: false,
			retryAfterSeconds: 10
		});
		// More than a window ever holds never fits: come back after the whole window.
		expect(rateVerdict([{ ...minute, count: 0, nthNewest: null }], now, 61)).toEqual({
			ok: false,
			retryAfterSeconds: 60
		});
	});
});
