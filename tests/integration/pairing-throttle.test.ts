import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import type { TerminalPrincipal } from '../../server/auth/terminal';
import {
	MAX_PAIRING_FAILURES,
	MAX_POOLED_PAIRING_FAILURES,
	PAIRING_WINDOW_MS,
	createPairingCode,
	pairTerminal
} from '../../server/services/terminal-pairing';
import { generatePairingCode } from '../../src/lib/domain/pairing-code';
import { useTestDatabase } from './support/db';
import { callerAs, callerAsTerminal, insertCompany, insertUser } from './support/fixtures';

/**
 * Issue 18, item 8: the pairing throttle keeps out guessers, not shops. Wrong codes count per
 * address and per code; a valid fresh code still pairs from an address that typed ten wrong
 * ones (a shop's NAT); past its own allowance an address draws on a platform-wide pool, and
 * once that is spent it is refused unchecked.
 */
const t = useTestDatabase({ truncate: true });
let admin: SessionUser;
let companyId: number;

beforeEach(async () => {
	companyId = await insertCompany(t.db, { rateBp: 1000, name: 'Albixe' });
	admin = await insertUser(t.db, 'company', { companyId });
});

const anon = (ip: string, clock?: () => Date) =>
	callerAsTerminal(t.db, null as unknown as TerminalPrincipal, { ip, clock });

async function freshCode(name = 'Касса') {
	return (await (await callerAs(t.db, admin)).devices.createPairingCode({ name })).code;
}

describe('pairing throttle', () => {
	it('a valid fresh code pairs from an address that tried ten wrong codes', async () => {
		const shop = anon('10.9.9.9');
		for (let i = 0; i < MAX_PAIRING_FAILURES; i++)
			expect(await shop.devices.pair({ code: generatePairingCode() })).toEqual({
				ok: false,
				error: 'invalid_code'
			});
		expect(await shop.devices.pair({ code: await freshCode() })).toMatchObject({ ok: true });
	});

	it('one wrong code retyped counts once, a malformed one not at all', async () => {
		const shop = anon('10.9.9.7');
		const typo = generatePairingCode();
		for (let i = 0; i < 30; i++) await shop.devices.pair({ code: typo });
		for (let i = 0; i < 30; i++) await shop.devices.pair({ code: 'ABC' });
		const rows = await t.db
			.selectFrom('pairing_attempts')
			.select(['code_hash', 'pooled'])
			.where('ip', '=', '10.9.9.7')
			.execute();
		expect(new Set(rows.map((r) => r.code_hash)).size).toBe(1);
		expect(rows.every((r) => !r.pooled)).toBe(true);
	});

	it('keeps a guesser to its allowance plus the shared pool, then refuses it unchecked', async () => {
		const start = new Date(Date.now() + 3600_000);
		const at = (ms: number) => new Date(start.getTime() + ms);
		// 200 distinct guesses at once from one address: exactly its ten and the pool are checked.
		const answers = await Promise.all(
			Array.from({ length: 200 }, () =>
				pairTerminal(t.db, { code: generatePairingCode(), ip: '10.6.6.6', now: at(0) })
			)
		);
		const counts = { invalid_code: 0, throttled: 0 };
		for (const a of answers) if (!a.ok) counts[a.error] += 1;
		expect(counts).toEqual({
			invalid_code: MAX_PAIRING_FAILURES + MAX_POOLED_PAIRING_FAILURES,
			throttled: 200 - MAX_PAIRING_FAILURES - MAX_POOLED_PAIRING_FAILURES
		});
		// With the pool spent, even a valid code is not looked at from that address …
		const { code } = await createPairingCode(t.db, {
			companyId,
			name: 'Касса 2',
			createdBy: null,
			now: at(500)
		});
		expect(await pairTerminal(t.db, { code, ip: '10.6.6.6', now: at(1000) })).toMatchObject({
			ok: false,
			error: 'throttled'
		});
		// … a throttled address elsewhere waits too, an address within its allowance pairs.
		for (let i = 0; i < MAX_PAIRING_FAILURES; i++)
			await pairTerminal(t.db, { code: generatePairingCode(), ip: '10.5.5.5', now: at(2000) });
		expect(await pairTerminal(t.db, { code, ip: '10.5.5.5', now: at(3000) })).toMatchObject({
			error: 'throttled'
		});
		expect(await pairTerminal(t.db, { code, ip: '10.4.4.4', now: at(4000) })).toMatchObject({
			ok: true
		});
		// After the window, the address is checked again.
		const after = at(PAIRING_WINDOW_MS + 1000);
		const later = await createPairingCode(t.db, {
			companyId,
			name: 'Касса 3',
			createdBy: null,
			now: after
		});
		expect(
			await pairTerminal(t.db, { code: later.code, ip: '10.6.6.6', now: after })
		).toMatchObject({
			ok: true
		});
	});
});
