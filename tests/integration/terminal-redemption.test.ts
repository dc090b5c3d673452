import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import type { TerminalPrincipal } from '../../server/auth/terminal';
import { getBalance } from '../../server/repositories/balances';
import { insertRedeemLimit } from '../../server/repositories/redeem-limits';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import {
	callerAs,
	callerAsTerminal,
	insertCompany,
	insertCustomer,
	insertTerminal,
	insertUser
} from './support/fixtures';
import { codesOf, giveBalance } from './support/redemption-fixtures';

/**
 * Pay with cashback (issue 8) at a paired terminal (issue 9): a terminal may redeem, as its own
 * device only, with the shift's cashier carried like a payment's — stored, part of the content
 * (a replay is a duplicate, another cashier under the ID a conflict) and in the X-report.
 */
const t = useTestDatabase({ truncate: true });
let admin: SessionUser;
let companyId: number;
let terminal: TerminalPrincipal;

const IVANOV = '123455';

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	companyId = await insertCompany(t.db, { rateBp: 1000, name: 'Albixe' });
	await insertRedeemLimit(t.db, {
		companyId,
		redeemMaxBp: 5000,
		effectiveFrom: new Date('2000-01-01T00:00:00Z'),
		createdBy: null
	});
	admin = await insertUser(t.db, 'company', { companyId });
	terminal = await insertTerminal(t.db, companyId);
	await giveBalance(t.db, IVANOV, 500_00);
});

async function addCashier(name: string, pin: string) {
	return (await callerAs(t.db, admin)).cashiers.create({
		name,
		pin,
		active: true,
		canRefund: false
	});
}

async function redemption(fields: { cashierId?: string | null; shiftId?: string | null }) {
	const code = (await codesOf(t.db, IVANOV))();
	return {
		id: uuidv7(),
		deviceId: terminal.deviceId,
		customerId: IVANOV,
		code,
		billKopecks: 1_000_00,
		redeemKopecks: 300_00,
		occurredAt: new Date(Date.now() - 1000).toISOString(),
		...fields
	};
}

describe('payments.redeem at a terminal', () => {
	it('carries the cashier and shift: stored, hashed (replay duplicate, other cashier conflict), in the X-report', async () => {
		const anna = await addCashier('Анна', '1111');
		const boris = await addCashier('Борис', '2222');
		const shiftId = uuidv7();
		const api = callerAsTerminal(t.db, terminal);
		const input = await redemption({ cashierId: anna.id, shiftId });

		const preview = await api.payments.redeemPreview({
			deviceId: terminal.deviceId,
			customerId: IVANOV,
			code: input.code,
			billKopecks: input.billKopecks
		});
		expect(preview).toMatchObject({ ok: true, balanceKopecks: 500_00 });
		expect(await api.payments.redeem(input)).toMatchObject({
			outcome: 'accepted',
			operation: { redeemedKopecks: 300_00, cashbackKopecks: 70_00 }
		});
		expect(await api.payments.redeem(input)).toMatchObject({ outcome: 'duplicate' });
		expect(await api.payments.redeem({ ...input, cashierId: boris.id })).toEqual({
			outcome: 'conflict'
		});
		expect(await api.payments.redeem({ ...input, cashierId: null, shiftId: null })).toEqual({
			outcome: 'conflict'
		});
		expect(await getBalance(t.db, IVANOV)).toBe(500_00 - 300_00 + 70_00);

		const row = await t.db
			.selectFrom('operations')
			.select(['device_id', 'cashier_id', 'shift_id', 'created_by', 'redeemed_kopecks'])
			.where('id', '=', input.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({
			device_id: terminal.deviceId,
			cashier_id: anna.id,
			shift_id: shiftId,
			created_by: null,
			redeemed_kopecks: 300_00
		});
		expect(await api.terminal.shiftReport({ shiftId })).toMatchObject({
			cashierName: 'Анна',
			payments: 1,
			turnoverKopecks: 1_000_00,
			cashbackKopecks: 70_00,
			redeemedKopecks: 300_00
		});
		const list = await (
			await callerAs(t.db, admin)
		).companies.listOperations({
			period: { kind: 'month' }
		});
		expect(list.rows[0]).toMatchObject({
			id: input.id,
			deviceName: terminal.name,
			cashierName: 'Анна',
			redeemedKopecks: 300_00
		});
	});

	it('a terminal names a cashier of its company and redeems only as its own device', async () => {
		const api = callerAsTerminal(t.db, terminal);
		const unnamed = await redemption({ cashierId: null, shiftId: uuidv7() });
		expect(await api.payments.redeem(unnamed)).toEqual({
			outcome: 'rejected',
			reason: 'unknown_cashier'
		});
		const stranger = await redemption({ cashierId: uuidv7(), shiftId: uuidv7() });
		expect(await api.payments.redeem(stranger)).toEqual({
			outcome: 'rejected',
			reason: 'unknown_cashier'
		});
		const anna = await addCashier('Анна', '1111');
		const otherDevice = await insertTerminal(t.db, companyId, 'Касса 3');
		const foreign = {
			...(await redemption({ cashierId: anna.id, shiftId: uuidv7() })),
			deviceId: otherDevice.deviceId
		};
		expect(await api.payments.redeem(foreign)).toEqual({
			outcome: 'rejected',
			reason: 'device_not_registered'
		});
		expect(
			await api.payments.redeemPreview({
				deviceId: otherDevice.deviceId,
				customerId: IVANOV,
				code: foreign.code,
				billKopecks: foreign.billKopecks
			})
		).toEqual({ ok: false, reason: 'device_not_registered' });
		// Nothing stored, nothing spent.
		expect(await getBalance(t.db, IVANOV)).toBe(500_00);
	});

	it('a revoked terminal is refused with terminal_revoked before anything is checked', async () => {
		const anna = await addCashier('Анна', '1111');
		await (
			await callerAs(t.db, admin)
		).devices.revoke({ deviceId: terminal.deviceId, mode: 'accept_before' });
		const revoked = callerAsTerminal(t.db, {
			...terminal,
			revoked: { at: new Date(), mode: 'accept_before' }
		});
		const input = await redemption({ cashierId: anna.id, shiftId: uuidv7() });
		await expect(revoked.payments.redeem(input)).rejects.toMatchObject({
			code: 'FORBIDDEN',
			message: 'terminal_revoked'
		});
		await expect(
			revoked.payments.redeemPreview({
				deviceId: terminal.deviceId,
				customerId: IVANOV,
				code: input.code,
				billKopecks: input.billKopecks
			})
		).rejects.toMatchObject({ message: 'terminal_revoked' });
		expect(await getBalance(t.db, IVANOV)).toBe(500_00);
	});

	it('the admin’s own counter still redeems without a cashier', async () => {
		const adminDevice = await insertTerminal(t.db, companyId, 'Касса 1');
		const api = await callerAs(t.db, admin);
		const input = {
			...(await redemption({})),
			deviceId: adminDevice.deviceId
		};
		expect(await api.payments.redeem(input)).toMatchObject({ outcome: 'accepted' });
	});
});
