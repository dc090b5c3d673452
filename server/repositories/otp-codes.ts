import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { OTP_SECRET_BYTES } from '../../src/lib/domain/otp';
import { openSecret, sealSecret } from '../crypto/secret-box';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** Wrong codes for one customer at one company within this window lock redemption there… */
export const OTP_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** …once there are this many… */
export const OTP_MAX_FAILURES = 5;
/** …for this long. */
export const OTP_LOCK_MS = 15 * 60 * 1000;
/**
 * Wrong codes for one customer across all companies within the window that lock redemption at
 * every company that had any of them (never at one that had none): several companies each
 * staying under OTP_MAX_FAILURES still cannot guess on together without limit.
 */
export const OTP_PLATFORM_MAX_FAILURES = 20;

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
 * customer (from any number of counters) take turns: the used-step record, the failure counts
 * and the locks are then exact. Creates the secret when the customer has none yet. Returns the
 * secret (null when the key cannot open it) and until when redemption is locked at `companyId`.
 */
export async function lockOtpState(
	trx: Transaction<Database>,
	key: Buffer,
	customerId: string,
	companyId: number
): Promise<{ secret: Uint8Array | null; lockedUntil: Date | null }> {
	await trx
		.insertInto('customer_otp_secrets')
		.values({ customer_id: customerId, secret_encrypted: newSealedSecret(key, customerId) })
		.onConflict((oc) => oc.column('customer_id').doNothing())
		.execute();
	const row = await trx
		.selectFrom('customer_otp_secrets')
		.select('secret_encrypted')
		.where('customer_id', '=', customerId)
		.forUpdate()
		.executeTakeFirstOrThrow();
	const lock = await trx
		.selectFrom('otp_locks')
		.select('locked_until')
		.where('customer_id', '=', customerId)
		.where('company_id', '=', companyId)
		.executeTakeFirst();
	let secret: Uint8Array | null = null;
	try {
		secret = openSecret(key, row.secret_encrypted, owner(customerId));
	} catch {
		secret = null;
	}
	return { secret, lockedUntil: lock ? new Date(lock.locked_until) : null };
}

/**
 * Records a wrong code at a company. OTP_MAX_FAILURES of them at that company within the window
 * lock redemption there for OTP_LOCK_MS; OTP_PLATFORM_MAX_FAILURES across companies lock it at
 * each company that had one. The failures that caused a lock are spent: the count starts
 * afresh. Call under lockOtpState. Returns whether the customer is now locked at `companyId`.
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
	const perCompany = await trx
		.selectFrom('otp_failures')
		.select(['company_id', sql<number>`count(*)`.as('n')])
		.where('customer_id', '=', input.customerId)
		.where('company_id', 'is not', null)
		.where('failed_at', '>', since)
		.where('failed_at', '<=', input.now)
		.groupBy('company_id')
		.execute();
	const here = Number(perCompany.find((r) => r.company_id === input.companyId)?.n ?? 0);
	const total = perCompany.reduce((sum, r) => sum + Number(r.n), 0);
	const lock = (companyIds: number[], cause: 'company' | 'platform') =>
		upsertOtpLocks(trx, {
			customerId: input.customerId,
			companyIds,
			cause,
			now: input.now,
			until: new Date(input.now.getTime() + OTP_LOCK_MS)
		});
	if (here >= OTP_MAX_FAILURES) {
		await lock([input.companyId], 'company');
		await deleteFailures(trx, input.customerId, input.now, input.companyId);
		return true;
	}
	if (total >= OTP_PLATFORM_MAX_FAILURES) {
		await lock(
			perCompany.map((r) => r.company_id!),
			'platform'
		);
		await deleteFailures(trx, input.customerId, input.now);
		return true;
	}
	return false;
}

async function upsertOtpLocks(
	trx: Transaction<Database>,
	input: {
		customerId: string;
		companyIds: number[];
		cause: 'company' | 'platform';
		now: Date;
		until: Date;
	}
): Promise<void> {
	if (input.companyIds.length === 0) return;
	await trx
		.insertInto('otp_locks')
		.values(
			[...input.companyIds]
				.sort((a, b) => a - b)
				.map((companyId) => ({
					customer_id: input.customerId,
					company_id: companyId,
					locked_until: input.until,
					cause: input.cause,
					locked_at: input.now
				}))
		)
		.onConflict((oc) =>
			oc.columns(['customer_id', 'company_id']).doUpdateSet({
				locked_until: sql`greatest(otp_locks.locked_until, excluded.locked_until)`,
				cause: sql`excluded.cause`,
				locked_at: sql`excluded.locked_at`
			})
		)
		.execute();
}

async function deleteFailures(
	trx: Transaction<Database>,
	customerId: string,
	upTo: Date,
	companyId?: number
): Promise<void> {
	await trx
		.deleteFrom('otp_failures')
		.where('customer_id', '=', customerId)
		.where('failed_at', '<=', upTo)
		.$if(companyId !== undefined, (q) => q.where('company_id', '=', companyId!))
		.execute();
}

/** Where the customer's redemption is locked now, and until when (the card shows it). */
export function listActiveOtpLocks(db: Db, customerId: string, now: Date) {
	return db
		.selectFrom('otp_locks as l')
		.innerJoin('companies as c', 'c.id', 'l.company_id')
		.select([
			'l.company_id as companyId',
			'c.name as companyName',
			'c.time_zone as timeZone',
			'l.locked_until as lockedUntil',
			'l.cause'
		])
		.where('l.customer_id', '=', customerId)
		.where('l.locked_until', '>', now)
		.orderBy('l.locked_until', 'desc')
		.execute();
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

/** Customers locked by the platform-wide ceiling since `since` (the operator's overview). */
export function listPlatformLocks(db: Db, since: Date, limit = 20) {
	return db
		.selectFrom('otp_locks')
		.select((eb) => [
			'customer_id as customerId',
			eb.fn.count<string>('company_id').as('companies'),
			eb.fn.max('locked_until').as('lockedUntil')
		])
		.where('cause', '=', 'platform')
		.where('locked_at', '>', since)
		.groupBy('customer_id')
		.orderBy(sql`max(locked_at)`, 'desc')
		.limit(limit)
		.execute()
		.then((rows) =>
			rows.map((r) => ({
				customerId: r.customerId,
				companies: Number(r.companies),
				lockedUntil: new Date(r.lockedUntil)
			}))
		);
}
