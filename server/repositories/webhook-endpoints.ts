import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';
import type { WebhookDeliveryStatus } from '../db/webhook-types';

type Db = Kysely<Database> | Transaction<Database>;

/** Whose endpoints: a company's, or the operator's platform endpoints (null). */
export type Scope = number | null;

const publicColumns = [
	'id',
	'url',
	'description',
	'events',
	'enabled',
	'disabled_reason as disabledReason',
	'disabled_at as disabledAt',
	'failing_since as failingSince',
	'previous_secret_until as previousSecretUntil',
	'created_at as createdAt'
] as const;

export async function insertEndpoint(
	db: Db,
	input: {
		id: string;
		scope: Scope;
		url: string;
		description: string;
		events: string[];
		secretSealed: string;
	}
) {
	await db
		.insertInto('webhook_endpoints')
		.values({
			id: input.id,
			company_id: input.scope,
			url: input.url,
			description: input.description,
			events: input.events,
			secret_sealed: input.secretSealed
		})
		.execute();
}

export async function listEndpoints(db: Db, scope: Scope) {
	return db
		.selectFrom('webhook_endpoints')
		.select(publicColumns)
		.where(scope === null ? sql<boolean>`company_id is null` : sql<boolean>`company_id = ${scope}`)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
}

/** One endpoint of the scope with its sealed secrets, or undefined. */
export async function getEndpoint(db: Db, scope: Scope, id: string) {
	return db
		.selectFrom('webhook_endpoints')
		.select([...publicColumns, 'secret_sealed', 'previous_secret_sealed'])
		.where('id', '=', id)
		.where(scope === null ? sql<boolean>`company_id is null` : sql<boolean>`company_id = ${scope}`)
		.executeTakeFirst();
}

export async function rotateSecret(
	db: Db,
	scope: Scope,
	id: string,
	input: { sealed: string; previousSealed: string; previousUntil: Date }
): Promise<boolean> {
	const result = await db
		.updateTable('webhook_endpoints')
		.set({
			secret_sealed: input.sealed,
			previous_secret_sealed: input.previousSealed,
			previous_secret_until: input.previousUntil
		})
		.where('id', '=', id)
		.where(scope === null ? sql<boolean>`company_id is null` : sql<boolean>`company_id = ${scope}`)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

export async function setEnabled(
	db: Db,
	scope: Scope,
	id: string,
	enabled: boolean
): Promise<boolean> {
	const result = await db
		.updateTable('webhook_endpoints')
		.set(
			enabled
				? { enabled: true, disabled_reason: null, disabled_at: null, failing_since: null }
				: { enabled: false, disabled_reason: 'manual', disabled_at: sql`now()` }
		)
		.where('id', '=', id)
		.where(scope === null ? sql<boolean>`company_id is null` : sql<boolean>`company_id = ${scope}`)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

export async function deleteEndpoint(db: Db, scope: Scope, id: string): Promise<boolean> {
	const result = await db
		.deleteFrom('webhook_endpoints')
		.where('id', '=', id)
		.where(scope === null ? sql<boolean>`company_id is null` : sql<boolean>`company_id = ${scope}`)
		.executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}

/** A test event for one endpoint only, with its delivery; returns the event ID. */
export async function insertTestEvent(
	db: Db,
	input: { scope: Scope; endpointId: string; data: unknown }
): Promise<string> {
	const { rows } = await sql<{ id: string }>`
		with ev as (
			insert into webhook_events (company_id, type, data)
			values (${input.scope}, 'webhook.test', (${JSON.stringify(input.data)}::text)::jsonb)
			returning id
		)
		insert into webhook_deliveries (event_id, endpoint_id)
		select ev.id, ${input.endpointId}::uuid from ev
		returning event_id as id`.execute(db);
	return rows[0]!.id;
}

export interface DeliveryLogRow {
	deliveryId: number;
	eventId: string;
	type: string;
	status: WebhookDeliveryStatus;
	attempts: number;
	createdAt: Date;
	nextAttemptAt: Date;
	lastAttemptAt: Date | null;
	lastStatusCode: number | null;
	lastDurationMs: number | null;
	lastResponseHead: string | null;
	lastError: string | null;
}

/**
 * An endpoint's deliveries, newest first, each with its last attempt (time, HTTP status,
 * duration, first bytes of the answer); filtered by event type and delivery status.
 */
export async function listDeliveries(
	db: Db,
	input: {
		endpointId: string;
		type?: string;
		status?: WebhookDeliveryStatus;
		limit: number;
	}
): Promise<DeliveryLogRow[]> {
	const { rows } = await sql<DeliveryLogRow>`
		select d.id as "deliveryId", d.event_id as "eventId", ev.type, d.status, d.attempts,
			d.created_at as "createdAt", d.next_attempt_at as "nextAttemptAt",
			a.attempted_at as "lastAttemptAt", a.status_code as "lastStatusCode",
			a.duration_ms as "lastDurationMs", a.response_head as "lastResponseHead", a.error as "lastError"
		from webhook_deliveries d
		join webhook_events ev on ev.id = d.event_id
		left join lateral (
			select * from webhook_attempts a where a.delivery_id = d.id order by a.id desc limit 1
		) a on true
		where d.endpoint_id = ${input.endpointId}
			${input.type ? sql`and ev.type = ${input.type}` : sql``}
			${input.status ? sql`and d.status = ${input.status}` : sql``}
		order by d.id desc
		limit ${input.limit}`.execute(db);
	return rows;
}

/** Every attempt of one delivery, oldest first. */
export async function listAttempts(db: Db, deliveryId: number) {
	return db
		.selectFrom('webhook_attempts')
		.select([
			'attempted_at as attemptedAt',
			'status_code as statusCode',
			'duration_ms as durationMs',
			'response_head as responseHead',
			'error'
		])
		.where('delivery_id', '=', deliveryId)
		.orderBy('id')
		.execute();
}

/** «Отправить снова»: the delivery is due again now (same event, same webhook-id). */
export async function resendDelivery(
	db: Db,
	endpointId: string,
	deliveryId: number
): Promise<boolean> {
	const result = await db
		.updateTable('webhook_deliveries')
		.set({ status: 'pending', next_attempt_at: sql`now()` })
		.where('id', '=', deliveryId)
		.where('endpoint_id', '=', endpointId)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/** A company's endpoints disabled by the worker (410, or failing 5 days): the cabinet says so. */
export async function listAutoDisabled(db: Db, scope: Scope) {
	return db
		.selectFrom('webhook_endpoints')
		.select(['id', 'url', 'disabled_reason as disabledReason', 'disabled_at as disabledAt'])
		.where(scope === null ? sql<boolean>`company_id is null` : sql<boolean>`company_id = ${scope}`)
		.where('enabled', '=', false)
		.where('disabled_reason', 'in', ['gone', 'failing'])
		.execute();
}
