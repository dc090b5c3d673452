import { describe, expect, it } from 'vitest';
import {
	decideLogin,
	MAX_FAILURES_PER_ACCOUNT_HOUR,
	MAX_FAILURES_PER_ADDRESS_HOUR,
	type LoginCounts
} from './throttle-rule';

const now = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const clean: LoginCounts = {
	accountStreak: 0,
	accountLastFailure: null,
	accountFailuresElsewhere: 0,
	accountFailures: 0,
	accountCapSince: null,
	pairStreak: 0,
	pairLastFailure: null,
	addressFailures: 0,
	addressCapSince: null,
	trustedAddress: false
};
/** An address past its hourly limit of failures, on other (made-up) accounts. */
const floodedAddress: Partial<LoginCounts> = {
	addressFailures: MAX_FAILURES_PER_ADDRESS_HOUR,
	addressCapSince: ago(10 * 60_000)
};

describe('decideLogin', () => {
	it('checks a clean account from a clean address', () => {
		expect(decideLogin(clean, now)).toEqual({ allowed: true });
	});

	it('checks a clean account from an address past its limit (the flood cannot lock users out)', () => {
		expect(decideLogin({ ...clean, ...floodedAddress }, now)).toEqual({ allowed: true });
	});

	it('from a flooded address, refuses an account that already failed in the hour until the address is under its limit', () => {
		const verdict = decideLogin(
			{
				...clean,
				...floodedAddress,
				accountFailures: 1,
				accountLastFailure: ago(60_000),
				pairStreak: 1,
				pairLastFailure: ago(60_000)
			},
			now
		);
		// the 300th newest failure of the address was 10 minutes ago: 50 minutes remain
		expect(verdict).toEqual({ allowed: false, retryAfterSeconds: 50 * 60 });
	});

	it('from a flooded address, still checks an account this address is trusted for', () => {
		const verdict = decideLogin(
			{
				...clean,
				...floodedAddress,
				trustedAddress: true,
				accountFailures: 1,
				accountLastFailure: ago(60_000),
				pairStreak: 1,
				pairLastFailure: ago(60_000)
			},
			now
		);
		expect(verdict).toEqual({ allowed: true });
	});

	it('gives three free typos from one address, then a doubling delay after the latest', () => {
		const typos = (n: number, lastMsAgo: number) =>
			decideLogin({ ...clean, pairStreak: n, pairLastFailure: ago(lastMsAgo) }, now);
		expect(typos(2, 0)).toEqual({ allowed: true });
		expect(typos(3, 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
		expect(typos(5, 1000)).toEqual({ allowed: false, retryAfterSeconds: 3 });
		expect(typos(5, 4000)).toEqual({ allowed: true });
	});

	it('the own-address delay holds even on a trusted address', () => {
		const verdict = decideLogin(
			{ ...clean, trustedAddress: true, pairStreak: 6, pairLastFailure: ago(1000) },
			now
		);
		expect(verdict).toEqual({ allowed: false, retryAfterSeconds: 7 });
	});

	it('slows an untrusted address when the account failed elsewhere', () => {
		const attacked: LoginCounts = {
			...clean,
			accountStreak: 6,
			accountFailures: 6,
			accountFailuresElsewhere: 6,
			accountLastFailure: ago(2000)
		};
		expect(decideLogin(attacked, now)).toEqual({ allowed: false, retryAfterSeconds: 6 });
		expect(decideLogin({ ...attacked, trustedAddress: true }, now)).toEqual({ allowed: true });
	});

	it('does not apply the account-wide delay when every failure came from this address', () => {
		// two typos here and nothing elsewhere: the pair rule alone decides (still free)
		const verdict = decideLogin(
			{
				...clean,
				accountStreak: 2,
				accountFailures: 2,
				accountLastFailure: ago(0),
				pairStreak: 2,
				pairLastFailure: ago(0)
			},
			now
		);
		expect(verdict).toEqual({ allowed: true });
	});

	it('closes the account to untrusted addresses for the hour after its hourly cap', () => {
		const capped: LoginCounts = {
			...clean,
			accountStreak: MAX_FAILURES_PER_ACCOUNT_HOUR,
			accountFailures: MAX_FAILURES_PER_ACCOUNT_HOUR,
			accountFailuresElsewhere: MAX_FAILURES_PER_ACCOUNT_HOUR,
			accountCapSince: ago(50 * 60_000),
			// long enough ago that the doubling delay alone would have let it through
			accountLastFailure: ago(50 * 60_000)
		};
		expect(decideLogin(capped, now)).toEqual({ allowed: false, retryAfterSeconds: 10 * 60 });
		expect(decideLogin({ ...capped, trustedAddress: true }, now)).toEqual({ allowed: true });
	});
});
