import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import type { TerminalPrincipal } from '../../server/auth/terminal';
import { getBalance, listBalanceMismatches } from '../../server/repositories/balances';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
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

/*
 * Issue 18 item 4: a revoked terminal's operations are never credited on the device's word.
 * With `accept_before` those claiming a time before the revocation wait for the admin in the
 * review queue, until the revocation is 7 days old; then they are refused. Nobody else may
 * sync under a revoked device's ID.
 */

const t = useTestDatabase({ truncate: true });
const IVANOV = '123455';
const MINUTE = 60_000;
const DAY = 86_400_000;
let companyId: number;
let admin: SessionUser;
let terminal: TerminalPrincipal;
let cashierId: string;

const payment = (agoMs: number, amountKopecks = 1_000_00) => ({
	id: uuidv7(),
	customerId: IVANOV,
	amountKopecks,
	occurredAt: new Date(Date.now() - agoMs).toISOString(),
	cashierId,
	shiftId: null
});

/** Revokes the terminal as the admin does, `agoMs` back (the row as the admin's click left it). */
async function revoke(mode: 'accept_before' | 'reject_unsent', agoMs = 0) {
	await (await callerAs(t.db, admin)).devices.revoke({ deviceId: terminal.deviceId, mode });
	const at = new Date(Date.now() - agoMs);
	await t.db
		.updateTable('devices')
		.set({ revoked_at: at })
		.where('id', '=', terminal.deviceId)
		.execute();
	return { ...terminal, revoked: { at, mode } };
}

async function ledgerIsConsistent() {
	expect(await listBalanceMismatches(t.db)).toEqual([]);
	expect(await verifySummaries(t.db)).toEqual([]);
}

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	companyId = await insertCompany(t.db, { rateBp: 1000 });
	admin = await insertUser(t.db, 'company', { companyId });
	terminal = await insertTerminal(t.db, companyId);
	const cashier = await (
		await callerAs(t.db, admin)
	).cashiers.create({ name: 'Анна', pin: '1111', active: true, canRefund: false });
	cashierId = cashier.id;
	// The terminal's last contact before it was revoked.
	await callerAsTerminal(t.db, terminal).payments.sync({
		deviceId: terminal.deviceId,
		operations: [payment(30 * MINUTE)]
	});
});

describe('a revoked terminal', () => {
	it('accept_before: late operations stamped 10 minutes and 20 days back are held, not credited', async () => {
		const balance = await getBalance(t.db, IVANOV);
		const revoked = await revoke('accept_before', MINUTE);
		const late = [payment(10 * MINUTE), payment(20 * DAY), payment(10 * MINUTE, 1_000_000_000)];
		const answers = await callerAsTerminal(t.db, revoked).payments.sync({
			deviceId: terminal.deviceId,
			operations: late
		});
		expect(answers.map((a) => (a.outcome === 'rejected' ? a.reason : a.outcome))).toEqual([
			'accepted',
			'accepted',
			'over_bill_limit'
		]);
		for (const a of answers.slice(0, 2))
			expect(a).toMatchObject({
				operation: {
					cashbackKopecks: 0,
					held: { reason: 'revoked_terminal', cashbackKopecks: 100_00 }
				}
			});
		expect(await getBalance(t.db, IVANOV)).toBe(balance);
		await ledgerIsConsistent();

		// The admin sees them beside the device's last contact and the revocation time.
		const api = await callerAs(t.db, admin);
		const queue = await api.review.companyList();
		expect(queue.map((h) => h.operationId).sort()).toEqual([late[0]!.id, late[1]!.id].sort());
		for (const hold of queue) {
			expect(hold.reason).toBe('revoked_terminal');
			expect(hold.deviceRevokedAt).toEqual(revoked.revoked.at);
			expect(hold.deviceLastSyncAt).toBeInstanceOf(Date);
		}
		// Accepts the one from 10 minutes back, rejects the one from 20 days back.
		expect(await api.review.companyConfirm({ operationId: late[0]!.id })).toEqual({ ok: true });
		expect(await api.review.companyCancel({ operationId: late[1]!.id })).toEqual({ ok: true });
		expect(await getBalance(t.db, IVANOV)).toBe(balance + 100_00);
		await ledgerIsConsistent();
	});

	it('refuses them outright once the revocation is older than 7 days', async () => {
		const revoked = await revoke('accept_before', 8 * DAY);
		const balance = await getBalance(t.db, IVANOV);
		const answers = await callerAsTerminal(t.db, revoked).payments.sync({
			deviceId: terminal.deviceId,
			operations: [payment(10 * MINUTE), payment(20 * DAY)]
		});
		expect(answers).toMatchObject([
			{ outcome: 'rejected', reason: 'terminal_revoked' },
			{ outcome: 'rejected', reason: 'terminal_revoked' }
		]);
		expect(await getBalance(t.db, IVANOV)).toBe(balance);
		expect(await (await callerAs(t.db, admin)).review.companyList()).toEqual([]);
	});

	it('refuses the admin’s own session syncing under the revoked device’s ID', async () => {
		await revoke('accept_before', MINUTE);
		const balance = await getBalance(t.db, IVANOV);
		const ops = [payment(10 * MINUTE), { ...payment(5 * MINUTE), cashierId: null }];
		const answers = await (
			await callerAs(t.db, admin)
		).payments.sync({ deviceId: terminal.deviceId, operations: ops });
		expect(answers).toMatchObject([
			{ outcome: 'rejected', reason: 'terminal_revoked' },
			{ outcome: 'rejected', reason: 'terminal_revoked' }
		]);
		const stored = await t.db
			.selectFrom('operations')
			.select('id')
			.where(
				'id',
				'in',
				ops.map((o) => o.id)
			)
			.execute();
		expect(stored).toEqual([]);
		expect(await getBalance(t.db, IVANOV)).toBe(balance);
	});

	it('reject_unsent: nothing it sends afterwards is stored, whatever its clock says', async () => {
		const revoked = await revoke('reject_unsent', MINUTE);
		const answers = await callerAsTerminal(t.db, revoked).payments.sync({
			deviceId: terminal.deviceId,
			operations: [payment(10 * MINUTE), payment(20 * DAY)]
		});
		expect(answers.map((a) => a.outcome)).toEqual(['rejected', 'rejected']);
	});
});
