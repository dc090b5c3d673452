import type { ColumnType, Generated } from 'kysely';

/** Tables of migrations/0025_webhooks.ts (kept apart from types.ts; Database extends them). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type WebhookDisabledReason = 'manual' | 'gone' | 'failing';
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookEndpointsTable {
	id: Generated<string>;
	/** Null: the operator's endpoint for platform events. */
	company_id: number | null;
	url: string;
	description: ColumnType<string, string | undefined, string>;
	events: string[];
	secret_sealed: string;
	previous_secret_sealed: string | null;
	previous_secret_until: Timestamp | null;
	enabled: ColumnType<boolean, boolean | undefined, boolean>;
	disabled_reason: WebhookDisabledReason | null;
	disabled_at: Timestamp | null;
	failing_since: Timestamp | null;
	created_at: CreatedAt;
}

export interface WebhookEventsTable {
	id: Generated<string>;
	company_id: number | null;
	type: string;
	data: ColumnType<unknown, string, never>;
	created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
	id: Generated<number>;
	event_id: string;
	endpoint_id: string;
	status: ColumnType<
		WebhookDeliveryStatus,
		WebhookDeliveryStatus | undefined,
		WebhookDeliveryStatus
	>;
	attempts: ColumnType<number, number | undefined, number>;
	next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
	created_at: CreatedAt;
	delivered_at: Timestamp | null;
}

export interface WebhookAttemptsTable {
	id: Generated<number>;
	delivery_id: number;
	endpoint_id: string;
	attempted_at: CreatedAt;
	status_code: number | null;
	duration_ms: number;
	response_head: string | null;
	error: string | null;
}

export interface WebhookTables {
	webhook_endpoints: WebhookEndpointsTable;
	webhook_events: WebhookEventsTable;
	webhook_deliveries: WebhookDeliveriesTable;
	webhook_attempts: WebhookAttemptsTable;
}
