import type { Kysely, Transaction } from 'kysely';
import { formatPairingCode } from '../../src/lib/domain/pairing-code';
import { createPinVerifier } from '../../src/lib/domain/pin';
import { hashPassword } from '../auth/password';
import { insertCashier } from '../repositories/cashiers';
import { createPairingCode } from '../services/terminal-pairing';
import type { Database } from './types';

export const DEMO_CASHIERS = [
	{ name: 'Анна', pin: '1111', canRefund: true, refundPin: '24681357' },
	{ name: 'Борис', pin: '2222', canRefund: false, refundPin: null }
] as const;

/** The demo company's cashiers (SPEC C10), inside the demo seed's transaction. */
export async function seedDemoCashiers(trx: Transaction<Database>, companyId: number) {
	for (const c of DEMO_CASHIERS) {
		await insertCashier(trx, {
			companyId,
			name: c.name,
			pin: await createPinVerifier(c.pin),
			active: true,
			canRefund: c.canRefund,
			refundPinHash: c.refundPin ? await hashPassword(c.refundPin) : null
		});
	}
}

/**
 * A fresh pairing code for the demo company at every start (codes live 15 minutes and only
 * their hash is stored, so an earlier one cannot be shown again). Null without the demo company.
 */
export async function demoPairingCode(
	db: Kysely<Database>,
	now = new Date()
): Promise<string | null> {
	const company = await db
		.selectFrom('users')
		.select('company_id')
		.where('email', '=', 'company@kopek.local')
		.executeTakeFirst();
	if (!company?.company_id) return null;
	const { code } = await createPairingCode(db, {
		companyId: company.company_id,
		name: 'Касса 2',
		createdBy: null,
		now
	});
	return formatPairingCode(code);
}
