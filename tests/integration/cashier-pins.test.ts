import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { resolveTerminalToken, type TerminalPrincipal } from '../../server/auth/terminal';
import { verifyPin } from '../../src/lib/domain/pin';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import {
	callerAs,
	callerAsTerminal,
	insertCompany,
	insertCustomer,
	insertUser
} from './support/fixtures';

/**
 * Issue 18, item 5: a terminal cannot crack its cashiers' PINs into refunds. The refund PIN
 * check and its lock are atomic (a burst of concurrent guesses is checked at most to the
 * limit), and what `terminal.me` hands a terminal (the shift PINs' offline verifiers) yields
 * no credential a refund accepts.
 */
const t = useTestDatabase({ truncate: true });
let admin: SessionUser;
const REFUND_PIN = '24681357';

beforeEach(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	const companyId = await insertCompany(t.db, { rateBp: 1000, name: 'Albixe' });
	admin = await insertUser(t.db, 'company', { companyId });
});

async function setUp() {
	const cabinet = await callerAs(t.db, admin);
	const { code } = await cabinet.devices.createPairingCode({ name: 'Касса 2' });
	const anon = callerAsTerminal(t.db, null as unknown as TerminalPrincipal);
	const paired = await anon.devices.pair({ code });
	if (!paired.ok || !paired.token) throw new Error('pairing failed');
	const terminal = await resolveTerminalToken(t.db, paired.token);
	if (!terminal) throw new Error('no terminal');
	const anna = await cabinet.cashiers.create({
		name: 'Анна',
		pin: '1111',
		active: true,
		canRefund: true,
		refundPin: REFUND_PIN
	});
	await cabinet.cashiers.create({ name: 'Борис', pin: '2222', active: true, canRefund: false });
	const caller = callerAsTerminal(t.db, terminal);
	const op = {
		id: uuidv7(),
		customerId: '123455',
		amountKopecks: 100_000,
		occurredAt: new Date(Date.now() - 60_000).toISOString(),
		cashierId: anna.id,
		shiftId: uuidv7()
	};
	await caller.payments.sync({ deviceId: terminal.deviceId, operations: [op] });
	const base = { operationId: op.id, shiftId: op.shiftId, reason: 'Возврат', cashierId: anna.id };
	return { caller, anna, base };
}

function tally(answers: { ok: boolean; error?: string }[]) {
	const counts: Record<string, number> = {};
	for (const a of answers) {
		const key = a.ok ? 'ok' : (a.error ?? '?');
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

describe('the refund PIN check is atomic', () => {
	it('40 concurrent wrong PINs: exactly five are checked, the rest find the cashier locked', async () => {
		const { caller, base } = await setUp();
		const answers = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				caller.terminal.refund({ ...base, pin: String(10_000_000 + i) })
			)
		);
		expect(tally(answers)).toEqual({ wrong_pin: 5, pin_locked: 35 });
		const attempts = await t.db.selectFrom('cashier_pin_attempts').selectAll().execute();
		expect(attempts).toHaveLength(5);
	});

	it('a burst holding the true PIN after the limit does not get through', async () => {
		const { caller, base } = await setUp();
		const first = await Promise.all(
			Array.from({ length: 5 }, (_, i) =>
				caller.terminal.refund({ ...base, pin: String(20_000_000 + i) })
			)
		);
		expect(tally(first)).toEqual({ wrong_pin: 5 });
		const burst = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				caller.terminal.refund({ ...base, pin: i % 8 === 3 ? REFUND_PIN : String(30_000_000 + i) })
			)
		);
		expect(tally(burst)).toEqual({ pin_locked: 40 });
		const refunds = await t.db
			.selectFrom('operations')
			.select('id')
			.where('kind', '=', 'refund')
			.execute();
		expect(refunds).toEqual([]);
	});
});

describe('what a terminal holds offline', () => {
	it('terminal.me yields no refund credential: a cracked shift PIN refunds nothing', async () => {
		const { caller, anna, base } = await setUp();
		const me = await caller.terminal.me();
		const wire = JSON.stringify(me);
		const row = await t.db
			.selectFrom('cashiers')
			.select('refund_pin_hash')
			.where('id', '=', anna.id)
			.executeTakeFirstOrThrow();
		expect(row.refund_pin_hash).toMatch(/^\$argon2id\$/);
		// Nothing of the refund PIN's hash travels: not the hash, not its salt.
		expect(wire).not.toContain('argon2');
		for (const part of row.refund_pin_hash!.split('$').filter((p) => p.length >= 16))
			expect(wire).not.toContain(part);

		// The attack of the issue: crack the refund-permitted cashier's verifier offline (here
		// from a short list, for speed: the whole 4-digit space falls in minutes) …
		const annaOffline = me.cashiers.find((c) => c.id === anna.id)!;
		expect(annaOffline.canRefund).toBe(true);
		let cracked: string | null = null;
		for (const guess of ['0000', '1234', '4321', '1111', '2222'])
			if (await verifyPin(guess, annaOffline.pin)) cracked = guess;
		expect(cracked).toBe('1111');
		// … and it opens Anna's shift offline, but the server refuses it as a refund PIN.
		expect(await caller.terminal.refund({ ...base, pin: cracked! })).toEqual({
			ok: false,
			error: 'wrong_pin'
		});
		expect(await caller.terminal.refund({ ...base, pin: REFUND_PIN })).toMatchObject({ ok: true });
	});

	it('refuses a refund PIN that is not 8 digits or holds the shift PIN', async () => {
		const { anna } = await setUp();
		const cabinet = await callerAs(t.db, admin);
		const update = (refundPin: string, pin?: string) =>
			cabinet.cashiers.update({
				cashierId: anna.id,
				name: 'Анна',
				active: true,
				canRefund: true,
				refundPin,
				...(pin ? { pin } : {})
			});
		expect(await update('1234567')).toEqual({ ok: false, error: 'refund_pin_invalid' });
		expect(await update('98111176')).toEqual({ ok: false, error: 'refund_pin_invalid' });
		expect(await update('12345678', '345678')).toEqual({ ok: false, error: 'refund_pin_invalid' });
		expect(await update('97531864')).toEqual({ ok: true });
		await expect(
			cabinet.cashiers.create({
				name: 'Вера',
				pin: '5555',
				active: true,
				canRefund: true,
				refundPin: '55550000'
			})
		).rejects.toThrow(/refund_pin_invalid/);
		const list = await cabinet.cashiers.list();
		expect(list.map((c) => [c.name, c.refundPinSet])).toEqual([
			['Анна', true],
			['Борис', false]
		]);
	});
});
