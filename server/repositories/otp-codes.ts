import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { OTP_SECRET_BYTES } from '../../src/lib/domain/otp';
import { openSecret, sealSecret } from '../crypto/secret-box';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** Wrong codes for one customer within this window lock redemption… */
export const OTP_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** …once there are this many… */
export const OTP_MAX_FAILURES = 5;
/** …for this long. */
export const OTP_LOCK_MS = 15 * 60 * 1000;

/** The owner a sealed secret is bound to (AES-GCM associated data). */
const owner = (customerId: string) => `otp:${customerId}`;

function newSealedSecret(key: Buffer, customerId: string): string {
	return sealSecret(key, new Uint8Array(randomBytes(OTP_SECRET_BYTES)), owner(customerId));
}

/**
 * The customer's TOTP secret, created on first use. A secret the key no longer opens (the key
 * was lost or changed) is replaced by a new one: the card then shows codes of the new secret.
 */
export async function ensureOtpSecret(
	db: Db,
	key: Buffer,
	customerId: string
): Promise<Uint8Array> {
	await db
		.insertInto('customer_otp_secrets')
		.values({ customer_id: customerId, secret_encrypted: newSealedSecret(key, customerId) })
		.onConflict((oc) => oc.column('customer_id').doNothing())
		.execute();
	const row = await db
		.selectFrom('customer_otp_secrets')
		.select('secret_encrypted')
		.where('customer_id', '=', customerId)
		.executeTakeFirstOrThrow();
	try {
		return openSecret(key, row.secret_encrypted, owner(customerId));
	} catch {
		const sealed = newSealedSecret(key, customerId);
		await db
			.updateTable('customer_otp_secrets')
			.set({ secret_encrypted: sealed })
			.where('customer_id', '=', customerId)
			.execute();
		return openSecret(key, sealed, owner(customerId));
	}
}

/**
 * Locks the customer's code state until the transaction ends, so that code checks of one
 * customer (from any number of counters) take turns: the used-step record, the failure count
 * and the lock are then exact. Creates the secret when the customer has none yet. Returns the
 * secret (null when the key cannot open it) and until when redemption is locked.
 */
export async function lockOtpState(
	trx: Transaction<Database>,
	key: Buffer,
	customerId: string
): Promise<{ secret: Uint8Array | null; lockedUntil: Date | null }> {
	await trx
		.insertInto('customer_otp_secrets')
		.values({ customer_id: customerId, secret_encrypted: newSealedSecret(key, customerId) })
		.onConflict((oc) => oc.column('customer_id').doNothing())
		.execute();
	const row = await trx
		.selectFrom('customer_otp_secrets')
		.select(['secret_encrypted', 'locked_until'])
		.where('customer_id', '=', customerId)
		.forUpdate()
		.executeTakeFirstOrThrow();
	let secret: Uint8Array | null = null;
	try {
		secret = openSecret(key, row.secret_encrypted, owner(customerId));
	} catch {
		secret = null;
	}
	return { secret, lockedUntil: row.locked_until ? new Date(row.locked_until) : null };
}

/**
 * Records a wrong code; when it makes OTP_MAX_FAILURES within the window, locks redemption for
 * OTP_LOCK_MS. Call under lockOtpState. Returns whether the customer is now locked.
 */
export async function recordOtpFailure(
	trx: Transaction<Database>,
	input: { customerId: string; companyId: number; now: Date }
): Promise<boolean> {
	await trx
		.insertInto('otp_failures')
		.values({ customer_id: input.customerId, company_id: input.companyId, failed_at: input.now })
		.execute();
	const since = new Date(input.now.getTime() - OTP_FAILURE_WINDOW_MS);
	const row = await trx
		.selectFrom('otp_failures')
		.select(sql<number>`count(*)`.as('n'))
		.where('customer_id', '=', input.customerId)
		.where('failed_at', '>', since)
		.where('failed_at', '<=', input.now)
		.executeTakeFirstOrThrow();
	if (Number(row.n) < OTP_MAX_FAILURES) return false;
	await trx
		.updateTable('customer_otp_secrets')
		.set({ locked_until: new Date(input.now.getTime() + OTP_LOCK_MS) })
		.where('customer_id', '=', input.customerId)
		.execute();
	// The failures that caused the lock are spent: after it, the count starts afresh.
	await trx
		.deleteFrom('otp_failures')
		.where('customer_id', '=', input.customerId)
		.where('failed_at', '<=', input.now)
		.execute();
	return true;
}

/** Whether a step's code has been accepted already for the customer. */
export async function isOtpStepUsed(db: Db, customerId: string, step: number): Promise<boolean> {
	const row = await db
		.selectFrom('otp_used_steps')
		.select('step')
		.where('customer_id', '=', customerId)
		.where('step', '=', step)
		.executeTakeFirst();
	return row !== undefined;
}

/** Marks a step's code as accepted; false when it already was (a replay). */
export async function consumeOtpStep(
	trx: Transaction<Database>,
	input: { customerId: string; step: number; operationId: string }
): Promise<boolean> {
	const row = await trx
		.insertInto('otp_used_steps')
		.values({
			customer_id: input.customerId,
			step: input.step,
			operation_id: input.operationId
		})
		.onConflict((oc) => oc.columns(['customer_id', 'step']).doNothing())
		.returning('step')
		.executeTakeFirst();
	return row !== undefined;
}
