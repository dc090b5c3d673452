import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { resolveTerminalToken, type TerminalPrincipal } from '../../server/auth/terminal';
import { contentHash } from '../../server/repositories/operations';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import {
	callerAs,
	callerAsTerminal,
	insertCompany,
	insertCustomer,
	insertUser
} from './support/fixtures';

const t = useTestDatabase({ truncate: true });
let admin: SessionUser;
let companyId: number;

const IVANOV = '123455';

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	companyId = await insertCompany(t.db, { rateBp: 1000, name: 'Albixe' });
	admin = await insertUser(t.db, 'company', { companyId });
});

async function pairNew(name = 'Касса 2', clock?: () => Date) {
	const { code } = await (await callerAs(t.db, admin)).devices.createPairingCode({ name });
	const paired = await callerAsTerminalAnon(clock).devices.pair({ code });
	if (!paired.ok || !('token' in paired) || !paired.token) throw new Error('pairing failed');
	const terminal = await resolveTerminalToken(t.db, paired.token);
	if (!terminal) throw new Error('no terminal');
	return terminal;
}

/** An anonymous caller with an injectable clock (the pairing page has no login). */
function callerAsTerminalAnon(clock?: () => Date, ip = '10.0.0.1') {
	return callerAsTerminal(t.db, null as unknown as TerminalPrincipal, { clock, ip });
}

/** A refund-permitted cashier's refund PIN (8 digits, server only). */
const REFUND_PIN = '24681357';

async function addCashier(name: string, pin: string, canRefund = false) {
	return (await callerAs(t.db, admin)).cashiers.create({
		name,
		pin,
		active: true,
		canRefund,
		...(canRefund ? { refundPin: REFUND_PIN } : {})
	});
}

function payment(cashierId: string | null, shiftId: string | null, overrides = {}) {
	return {
		id: uuidv7(),
		customerId: IVANOV,
		amountKopecks: 100_000,
		occurredAt: new Date(Date.now() - 60_000).toISOString(),
		cashierId,
		shiftId,
		...overrides
	};
}

describe('pairing', () => {
	it('a code pairs once, binding a new terminal of its company', async () => {
		const admin2 = await callerAs(t.db, admin);
		const { code, expiresAt } = await admin2.devices.createPairingCode({ name: 'Касса 2' });
		expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{8}$/);
		expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60 * 1000);
		// Typed in lower case with the dash, as a cashier might.
		const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase();
		const first = await callerAsTerminalAnon().devices.pair({ code: typed });
		expect(first).toMatchObject({ ok: true, name: 'Касса 2', companyName: 'Albixe' });
		const second = await callerAsTerminalAnon().devices.pair({ code });
		expect(second).toEqual({ ok: false, error: 'invalid_code' });

		if (!first.ok || !('token' in first) || !first.token) throw new Error('no token');
		const terminal = await resolveTerminalToken(t.db, first.token);
		expect(terminal).toMatchObject({ deviceId: first.deviceId, companyId, revoked: null });
		// Only the hash is stored.
		const row = await t.db
			.selectFrom('devices')
			.select('credential_hash')
			.where('id', '=', first.deviceId)
			.executeTakeFirstOrThrow();
		expect(row.credential_hash).not.toContain(first.token);
		expect(row.credential_hash).toBe(createHash('sha256').update(first.token).digest('hex'));
		const list = await admin2.devices.list();
		expect(list.find((d) => d.id === first.deviceId)).toMatchObject({ paired: true });
	});

	it('a code expires after 15 minutes (injected clock)', async () => {
		const start = new Date(Date.now() + 3600_000);
		const at = (ms: number) => () => new Date(start.getTime() + ms);
		const adminCaller = await callerAs(t.db, admin, '127.0.0.1', undefined, at(0));
		const early = await adminCaller.devices.createPairingCode({ name: 'A' });
		const late = await adminCaller.devices.createPairingCode({ name: 'B' });
		expect(early.expiresAt).toEqual(new Date(start.getTime() + 15 * 60_000));
		expect(
			await callerAsTerminalAnon(at(15 * 60_000 - 1000)).devices.pair({ code: early.code })
		).toMatchObject({ ok: true });
		expect(await callerAsTerminalAnon(at(15 * 60_000)).devices.pair({ code: late.code })).toEqual({
			ok: false,
			error: 'invalid_code'
		});
	});

	it('binds to its company only: its credential cannot sync as another company’s device', async () => {
		const otherCompany = await insertCompany(t.db, { rateBp: 500 });
		const otherAdmin = await insertUser(t.db, 'company', { companyId: otherCompany });
		const { deviceId: otherDevice } = await (
			await callerAs(t.db, otherAdmin)
		).devices.register({
			name: 'Чужая касса'
		});
		const terminal = await pairNew();
		expect(terminal.companyId).toBe(companyId);
		const anna = await addCashier('Анна', '1111');
		const [outcome] = await callerAsTerminal(t.db, terminal).payments.sync({
			deviceId: otherDevice,
			operations: [payment(anna.id, uuidv7())]
		});
		expect(outcome).toMatchObject({ outcome: 'rejected', reason: 'device_not_registered' });
	});
	// The pairing throttle: tests/integration/pairing-throttle.test.ts.
});

describe('revocation', () => {
	async function setUp() {
		const terminal = await pairNew();
		const anna = await addCashier('Анна', '1111');
		return { terminal, anna, shift: uuidv7() };
	}

	async function revoke(terminal: TerminalPrincipal, mode: 'accept_before' | 'reject_unsent') {
		await (await callerAs(t.db, admin)).devices.revoke({ deviceId: terminal.deviceId, mode });
		const row = await t.db
			.selectFrom('devices')
			.select(['revoked_at', 'revoke_mode'])
			.where('id', '=', terminal.deviceId)
			.executeTakeFirstOrThrow();
		return { ...terminal, revoked: { at: row.revoked_at!, mode: row.revoke_mode! } };
	}

	it('accept_before: earlier unsent operations are accepted, later ones refused', async () => {
		const { terminal, anna, shift } = await setUp();
		const stored = payment(anna.id, shift);
		await callerAsTerminal(t.db, terminal).payments.sync({
			deviceId: terminal.deviceId,
			operations: [stored]
		});
		const before = payment(anna.id, shift, {
			occurredAt: new Date(Date.now() - 120_000).toISOString()
		});
		const revoked = await revoke(terminal, 'accept_before');
		const after = payment(anna.id, shift, {
			occurredAt: new Date(Date.now() + 1000).toISOString()
		});
		const outcomes = await callerAsTerminal(t.db, revoked).payments.sync({
			deviceId: terminal.deviceId,
			operations: [stored, before, after]
		});
		expect(outcomes.map((o) => o.outcome)).toEqual(['duplicate', 'accepted', 'rejected']);
		expect(outcomes[2]).toMatchObject({ reason: 'terminal_revoked' });
	});

	it('reject_unsent: every operation not yet synced is refused; stored ones stay duplicates', async () => {
		const { terminal, anna, shift } = await setUp();
		const stored = payment(anna.id, shift);
		await callerAsTerminal(t.db, terminal).payments.sync({
			deviceId: terminal.deviceId,
			operations: [stored]
		});
		const before = payment(anna.id, shift, {
			occurredAt: new Date(Date.now() - 120_000).toISOString()
		});
		const revoked = await revoke(terminal, 'reject_unsent');
		const outcomes = await callerAsTerminal(t.db, revoked).payments.sync({
			deviceId: terminal.deviceId,
			operations: [stored, before]
		});
		expect(outcomes).toMatchObject([
			{ outcome: 'duplicate' },
			{ outcome: 'rejected', reason: 'terminal_revoked' }
		]);
		const count = await t.db
			.selectFrom('operations')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(1);
	});

	it('refuses every other call of a revoked terminal with terminal_revoked', async () => {
		const { terminal } = await setUp();
		const revoked = await revoke(terminal, 'accept_before');
		const caller = callerAsTerminal(t.db, revoked);
		await expect(caller.terminal.me()).rejects.toMatchObject({
			code: 'FORBIDDEN',
			message: 'terminal_revoked'
		});
		await expect(caller.customers.lookup({ customerId: IVANOV })).rejects.toMatchObject({
			message: 'terminal_revoked'
		});
		// The hooks still resolve it (so it is told why), as revoked.
		const resolved = await t.db
			.selectFrom('devices')
			.select('credential_hash')
			.where('id', '=', terminal.deviceId)
			.executeTakeFirstOrThrow();
		expect(resolved.credential_hash).not.toBeNull();
	});
});

describe('attribution', () => {
	it('a replay from the same shift is a duplicate; another cashier under the same ID a conflict', async () => {
		const terminal = await pairNew();
		const anna = await addCashier('Анна', '1111');
		const boris = await addCashier('Борис', '2222');
		const shift = uuidv7();
		const op = payment(anna.id, shift);
		const caller = callerAsTerminal(t.db, terminal);
		const sync = (ops: ReturnType<typeof payment>[]) =>
			caller.payments.sync({ deviceId: terminal.deviceId, operations: ops });
		expect((await sync([op]))[0]).toMatchObject({ outcome: 'accepted' });
		expect((await sync([op]))[0]).toMatchObject({ outcome: 'duplicate' });
		expect((await sync([{ ...op, cashierId: boris.id }]))[0]).toEqual({
			id: op.id,
			outcome: 'conflict'
		});
		expect((await sync([{ ...op, cashierId: null }]))[0]).toEqual({
			id: op.id,
			outcome: 'conflict'
		});
		const row = await t.db
			.selectFrom('operations')
			.select(['device_id', 'cashier_id', 'shift_id', 'created_by'])
			.where('id', '=', op.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({
			device_id: terminal.deviceId,
			cashier_id: anna.id,
			shift_id: shift,
			created_by: null
		});
	});

	it('a terminal must name a cashier of its company', async () => {
		const terminal = await pairNew();
		const other = await insertCompany(t.db, { rateBp: 500 });
		const foreign = await t.db
			.insertInto('cashiers')
			.values({
				company_id: other,
				name: 'Чужой',
				pin_salt: 'x',
				pin_verifier: 'y',
				pin_iterations: 100000
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const outcomes = await callerAsTerminal(t.db, terminal).payments.sync({
			deviceId: terminal.deviceId,
			operations: [payment(null, null), payment(foreign.id, uuidv7())]
		});
		expect(outcomes).toMatchObject([
			{ outcome: 'rejected', reason: 'unknown_cashier' },
			{ outcome: 'rejected', reason: 'unknown_cashier' }
		]);
	});

	it('hashes of operations without a cashier are those stored before cashiers existed', () => {
		const content = {
			companyId: 7,
			deviceId: '0190A0B0-0000-7000-8000-000000000001',
			customerId: IVANOV,
			amountKopecks: 12_345,
			occurredAt: new Date('2026-05-01T09:30:00.123Z')
		};
		const before = createHash('sha256')
			.update(
				['v1', 7, content.deviceId.toLowerCase(), IVANOV, 12_345, '2026-05-01T09:30:00.123Z'].join(
					'|'
				)
			)
			.digest('hex');
		expect(contentHash(content)).toBe(before);
		expect(contentHash({ ...content, cashierId: null, shiftId: null })).toBe(before);
		expect(contentHash({ ...content, cashierId: uuidv7() })).not.toBe(before);
	});

	it('the admin’s own counter keeps working without a cashier', async () => {
		const caller = await callerAs(t.db, admin);
		const { deviceId } = await caller.devices.register({ name: 'Касса 1' });
		const [outcome] = await caller.payments.sync({ deviceId, operations: [payment(null, null)] });
		expect(outcome).toMatchObject({ outcome: 'accepted' });
	});
});

describe('refunds at the counter and shift reports', () => {
	async function setUpShift() {
		const terminal = await pairNew();
		const anna = await addCashier('Анна', '1111', true);
		const boris = await addCashier('Борис', '2222', false);
		const shift = uuidv7();
		const op = payment(anna.id, shift);
		const caller = callerAsTerminal(t.db, terminal);
		await caller.payments.sync({
			deviceId: terminal.deviceId,
			operations: [op, payment(anna.id, shift, { amountKopecks: 50_000 })]
		});
		return { terminal, anna, boris, shift, op, caller };
	}

	it('needs an allowed cashier and their refund PIN, checked on the server', async () => {
		const { anna, boris, shift, op, caller } = await setUpShift();
		const base = { operationId: op.id, shiftId: shift, reason: 'Возврат товара' };
		expect(await caller.terminal.refund({ ...base, cashierId: boris.id, pin: '2222' })).toEqual({
			ok: false,
			error: 'not_allowed'
		});
		expect(await caller.terminal.refund({ ...base, cashierId: anna.id, pin: '9999' })).toEqual({
			ok: false,
			error: 'wrong_pin'
		});
		// The shift PIN (whose verifier the terminal holds) authorises no refund.
		expect(await caller.terminal.refund({ ...base, cashierId: anna.id, pin: '1111' })).toEqual({
			ok: false,
			error: 'wrong_pin'
		});
		const done = await caller.terminal.refund({ ...base, cashierId: anna.id, pin: REFUND_PIN });
		expect(done).toMatchObject({
			ok: true,
			refund: { amountKopecks: -100_000, cashbackKopecks: -10_000 }
		});
		expect(await caller.terminal.refund({ ...base, cashierId: anna.id, pin: REFUND_PIN })).toEqual({
			ok: false,
			error: 'already_refunded'
		});
		const report = await caller.terminal.shiftReport({ shiftId: shift });
		expect(report).toMatchObject({
			cashierName: 'Анна',
			payments: 2,
			// net of the refund (issue 19 item 8): what the shift took, as the overview counts it
			turnoverKopecks: 50_000,
			cashbackKopecks: 5_000,
			refunds: 1,
			refundedKopecks: 100_000,
			cashbackReversedKopecks: 10_000
		});
	});

	it('locks the cashier after five wrong PINs', async () => {
		const { anna, shift, op, caller } = await setUpShift();
		const base = { operationId: op.id, shiftId: shift, reason: 'r', cashierId: anna.id };
		for (let i = 0; i < 5; i++)
			expect(await caller.terminal.refund({ ...base, pin: '0000' })).toMatchObject({
				error: 'wrong_pin'
			});
		expect(await caller.terminal.refund({ ...base, pin: REFUND_PIN })).toEqual({
			ok: false,
			error: 'pin_locked'
		});
	});

	it('refunds only this terminal’s payments of the last 24 hours', async () => {
		const { anna, shift, op, caller, terminal } = await setUpShift();
		await t.db
			.updateTable('operations')
			.set({ occurred_at: new Date(Date.now() - 25 * 3600_000) })
			.where('id', '=', op.id)
			.execute();
		const base = { shiftId: shift, reason: 'r', cashierId: anna.id, pin: REFUND_PIN };
		expect(await caller.terminal.refund({ ...base, operationId: op.id })).toEqual({
			ok: false,
			error: 'too_old'
		});
		const other = await pairNew('Касса 3');
		const theirs = payment(anna.id, uuidv7());
		await callerAsTerminal(t.db, other).payments.sync({
			deviceId: other.deviceId,
			operations: [theirs]
		});
		expect(await caller.terminal.refund({ ...base, operationId: theirs.id })).toEqual({
			ok: false,
			error: 'not_found'
		});
		const recent = await caller.terminal.recentOperations();
		expect(recent.every((r) => r.id !== theirs.id && r.id !== op.id)).toBe(true);
		expect(terminal.deviceId).not.toBe(other.deviceId);
	});

	it('the cabinet reports the day per terminal, cashier and shift', async () => {
		const { shift } = await setUpShift();
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(
			new Date(Date.now() - 60_000)
		);
		const lines = await (await callerAs(t.db, admin)).cashiers.shiftReports({ date: today });
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatchObject({
			shiftId: shift,
			cashierName: 'Анна',
			deviceName: 'Касса 2',
			payments: 2
		});
	});
});
