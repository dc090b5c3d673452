import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import {
	callerAs,
	insertCompany,
	insertCustomer,
	insertTerminal,
	insertUser
} from './support/fixtures';

/**
 * Issue 19 item 7: tills that do not pile up. The next free «Касса N» for a new one, rename and
 * retire for every till — an owner login's too — and a retired owner till still delivers what
 * its browser holds.
 */
const t = useTestDatabase({ truncate: true });

async function owner() {
	const companyId = await insertCompany(t.db, { rateBp: 1000 });
	const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
	return { companyId, api };
}

describe('till names', () => {
	it('a till registered without a name is the next free «Касса N»; the offer is the same', async () => {
		const { api } = await owner();
		expect(await api.devices.suggestName()).toBe('Касса 1');
		expect((await api.devices.register({})).name).toBe('Касса 1');
		await api.devices.register({ name: 'касса 2' });
		await api.devices.register({ name: 'Касса у окна' });
		expect(await api.devices.suggestName()).toBe('Касса 3');
		expect((await api.devices.register({})).name).toBe('Касса 3');
		// Another company's tills are no concern of this one.
		const other = await owner();
		expect(await other.api.devices.suggestName()).toBe('Касса 1');
	});

	it('browsers registering at once still get different names', async () => {
		const { api } = await owner();
		const names = await Promise.all(Array.from({ length: 4 }, () => api.devices.register({})));
		expect(names.map((d) => d.name).sort()).toEqual(['Касса 1', 'Касса 2', 'Касса 3', 'Касса 4']);
	});

	it('a retired till keeps its name taken, so the list never shows one twice', async () => {
		const { api } = await owner();
		const { deviceId } = await api.devices.register({});
		await api.devices.revoke({ deviceId, mode: 'accept_before' });
		expect(await api.devices.suggestName()).toBe('Касса 2');
	});
});

describe('rename', () => {
	it('renames an owner till and a paired terminal of the company, never another’s', async () => {
		const { companyId, api } = await owner();
		const { deviceId } = await api.devices.register({});
		const terminal = await insertTerminal(t.db, companyId);
		expect(await api.devices.rename({ deviceId, name: ' Касса в зале ' })).toEqual({ ok: true });
		expect(await api.devices.rename({ deviceId: terminal.deviceId, name: 'Планшет' })).toEqual({
			ok: true
		});
		expect((await api.devices.list()).map((d) => d.name).sort()).toEqual([
			'Касса в зале',
			'Планшет'
		]);
		const other = await owner();
		expect(await other.api.devices.rename({ deviceId, name: 'Чужая' })).toEqual({
			ok: false,
			error: 'not_found'
		});
		await expect(api.devices.rename({ deviceId, name: '   ' })).rejects.toThrow();
	});
});

describe('retire', () => {
	it('an owner till is retired in good order; its outbox is still delivered, exactly once', async () => {
		await insertCustomer(t.db, '123455', 'Иванов Иван');
		const { api } = await owner();
		const { deviceId } = await api.devices.register({});
		const before = {
			id: uuidv7(),
			customerId: '123455',
			amountKopecks: 100_00,
			occurredAt: new Date(Date.now() - 60_000).toISOString()
		};
		// Asked to reject what it has not sent: an owner till has no stolen-tablet case.
		expect(await api.devices.revoke({ deviceId, mode: 'reject_unsent' })).toEqual({ ok: true });
		const retired = (await api.devices.list()).find((d) => d.id === deviceId);
		expect(retired?.revokedAt).toBeInstanceOf(Date);
		expect(retired?.revokeMode).toBe('accept_before');

		// The browser comes back with what it took before and just after the retirement.
		const after = { ...before, id: uuidv7(), occurredAt: new Date().toISOString() };
		const answers = await api.payments.sync({ deviceId, operations: [before, after] });
		expect(answers.map((a) => a.outcome)).toEqual(['accepted', 'accepted']);
		const again = await api.payments.sync({ deviceId, operations: [before] });
		expect(again.map((a) => a.outcome)).toEqual(['duplicate']);
	});

	it('a paired terminal is revoked in the mode chosen', async () => {
		const { companyId, api } = await owner();
		const terminal = await insertTerminal(t.db, companyId);
		await api.devices.revoke({ deviceId: terminal.deviceId, mode: 'reject_unsent' });
		const listed = (await api.devices.list()).find((d) => d.id === terminal.deviceId);
		expect(listed?.revokeMode).toBe('reject_unsent');
	});

	it('another company’s till cannot be retired', async () => {
		const { api } = await owner();
		const { deviceId } = await api.devices.register({});
		const other = await owner();
		expect(await other.api.devices.revoke({ deviceId, mode: 'accept_before' })).toEqual({
			ok: false,
			error: 'not_found'
		});
	});
});
