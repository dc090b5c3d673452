import type { ColumnType, Generated } from 'kysely';

/* Till integration tables (migration 0021, issue 20). */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface IntegrationKeysTable {
	id: Generated<string>;
	company_id: number;
	/** The device the key's sales are recorded as: its bound terminal or a device of its own. */
	device_id: string;
	name: string;
	/** SHA-256 (hex) of the secret; the secret itself is shown once and never stored. */
	secret_hash: string;
	/** The secret's first characters, to tell keys apart in lists (`kpk_AbCd…`). */
	prefix: string;
	bound_to_terminal: ColumnType<boolean, boolean | undefined, never>;
	created_at: CreatedAt;
	created_by: string | null;
	last_used_at: Date | null;
	revoked_at: Date | null;
	revoked_by: string | null;
}

export interface ApiIdempotencyTable {
	key_id: string;
	idempotency_key: string;
	request_hash: string;
	/** Null while the first request with this key runs. */
	answer_status: number | null;
	answer_body: ColumnType<unknown, string | null | undefined, string | null>;
	created_at: CreatedAt;
}

/* Refunds by lines (migration 0035). */

export interface SaleLinesTable {
	operation_id: string;
	/** The line's number in the sale's receipt, from 1. */
	line_no: number;
	company_id: number;
	name: string;
	/** Thousandths of the quantity (54-FZ: at most three decimals). */
	quantity_milli: ColumnType<number, number, never>;
	amount_kopecks: ColumnType<number, number, never>;
	no_cashback: boolean;
	no_redeem: boolean;
}

export interface RefundLinesTable {
	refund_id: string;
	operation_id: string;
	line_no: number;
	quantity_milli: ColumnType<number, number, never>;
	amount_kopecks: ColumnType<number, number, never>;
}
