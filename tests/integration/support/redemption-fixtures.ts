import type { Kysely } from 'kysely';
import type { SessionUser } from '../../../server/auth/session';
import { getSecretKey } from '../../../server/crypto/keys';
import type { Database } from '../../../server/db/types';
import { ensureOtpSecret } from '../../../server/repositories/otp-codes';
import { insertRedeemLimit } from '../../../server/repositories/redeem-limits';
import { otpCode } from '../../../src/lib/domain/otp';
import { uuidv7 } from '../../../src/lib/domain/uuid';
import { insertDevice, insertPayment } from './cabinets-fixtures';
import { callerAs, insertCompany, insertUser } from './fixtures';

/** A shop that accepts cashback: rate, limit, a registered device and its admin's caller. */
export async function redeemingShop(
	db: Kysely<Database>,
	input: { rateBp?: number; redeemMaxBp?: number; status?: 'active' | 'pending' } = {}
) {
	const companyId = await insertCompany(db, {
		rateBp: input.rateBp ?? 1000,
		status: input.status ?? 'active'
	});
	await insertRedeemLimit(db, {
		companyId,
		redeemMaxBp: input.redeemMaxBp ?? 5000,
		effectiveFrom: new Date('2000-01-01T00:00:00Z'),
		createdBy: null
	});
	const deviceId = await insertDevice(db, companyId);
	const user: SessionUser = await insertUser(db, 'company', { companyId });
	const api = await callerAs(db, user);
	return { companyId, deviceId, user, api };
}

/** Gives a customer `kopecks` of balance through a real ledger row (a payment elsewhere). */
export async function giveBalance(db: Kysely<Database>, customerId: string, kopecks: number) {
	const companyId = await insertCompany(db, { rateBp: 10_000 });
	const deviceId = await insertDevice(db, companyId);
	await insertPayment(db, {
		companyId,
		deviceId,
		customerId,
		amountKopecks: kopecks,
		rateBp: 10_000,
		occurredAt: new Date(Date.now() - 3_600_000),
		id: uuidv7()
	});
}

/** The customer's code generator, as the phone has it. */
export async function codesOf(db: Kysely<Database>, customerId: string) {
	const secret = await ensureOtpSecret(db, getSecretKey(), customerId);
	return (at: Date | number = Date.now()) => otpCode(secret, at);
}
