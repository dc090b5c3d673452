import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
	ApiIdempotencyTable,
	IntegrationKeysTable,
	RefundLinesTable,
	SaleLinesTable
} from './types-integrations';
import type { WebhookTables } from './webhook-types';

/**
 * Hand-written database types for the schema of migrations/0001_initial.ts.
 * int8 and numeric columns are parsed to JS numbers by both drivers (see db/index.ts):
 * every money value is an integer number of kopecks well within Number.MAX_SAFE_INTEGER.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type Role = 'operator' | 'partner' | 'company' | 'customer';
export type CompanyStatus = 'pending' | 'active' | 'rejected';
/** `release`: held cashback credited on review (0012_operation_holds). */
/** `expiry`: an available balance expired after the customer's inactivity (0030, issue 22). */
export type OperationKind = 'payment' | 'refund' | 'release' | 'expiry';
export type Locale = 'ru' | 'en';

export interface UsersTable {
	id: Generated<string>;
	email: string;
	password_hash: string;
	role: Role;
	locale: ColumnType<Locale, Locale | undefined, Locale>;
	company_id: number | null;
	partner_id: number | null;
	customer_id: string | null;
	created_at: CreatedAt;
	password_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SessionsTable {
	/** SHA-256 (hex) of the session token; the token itself is never stored. */
	id: string;
	user_id: string;
	expires_at: Timestamp;
	/** Absolute cap: the session dies then, however active it is. */
	absolute_expires_at: Timestamp;
	created_at: CreatedAt;
	ip: string | null;
	user_agent: string | null;
}

/** A password reset link (migration 0014): single use, by deleting the row. */
export interface PasswordResetTokensTable {
	/** SHA-256 (hex) of the link's token; the token itself is only in the e-mail. */
	id: string;
	user_id: string;
	created_at: CreatedAt;
	expires_at: Timestamp;
}

export interface LoginAttemptsTable {
	id: Generated<number>;
	email: string;
	ip: string;
	succeeded: boolean;
	attempted_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Which limit a counted action belongs to (server/repositories/rate-events.ts). */
export type RateScope =
	| 'customer_lookup'
	| 'customer_signup'
	| 'company_registration'
	| 'password_reset_address'
	| 'password_reset_email'
	/** Self-registration's INN lookups per client address (0016). */
	| 'registry_lookup';

export interface RateEventsTable {
	id: Generated<number>;
	scope: RateScope;
	/** Whose action: a company ID, a client address. */
	subject: string;
	at: ColumnType<Date, Date | string | undefined, never>;
}

export interface PartnersTable {
	id: number;
	name: string;
	licenses_available: ColumnType<number, number | undefined, number>;
	created_at: CreatedAt;
}

export interface LicenseLedgerTable {
	id: Generated<number>;
	partner_id: number;
	/** +N for a grant, -1 for a use. */
	delta: number;
	reason: 'grant' | 'company_registration';
	company_id: number | null;
	created_by: string | null;
	note: string | null;
	created_at: CreatedAt;
}

export interface CompaniesTable {
	id: Generated<number>;
	name: string;
	status: ColumnType<CompanyStatus, CompanyStatus | undefined, CompanyStatus>;
	rejection_reason: string | null;
	inn: string | null;
	kpp: string | null;
	ogrn: string | null;
	director_last_name: string | null;
	director_first_name: string | null;
	legal_address: string | null;
	postcode: string | null;
	region: string | null;
	city: string | null;
	settlement: string | null;
	street: string | null;
	house: string | null;
	building: string | null;
	office: string | null;
	country: ColumnType<string, string | undefined, string>;
	phone: string | null;
	email: string;
	time_zone: ColumnType<string, string | undefined, string>;
	inviter_partner_id: number;
	created_at: CreatedAt;
	approved_at: Date | null;
	/** After how long without a touch a terminal asks for the cashier's PIN again (0005). */
	terminal_idle_seconds: ColumnType<number, number | undefined, number>;
}

export interface CompanyRatesTable {
	id: Generated<number>;
	company_id: number;
	rate_bp: number;
	effective_from: Timestamp;
	created_by: string | null;
	created_at: CreatedAt;
}

export interface CompanyDocumentsTable {
	id: Generated<string>;
	company_id: number;
	file_name: string;
	content_type: 'application/pdf' | 'image/jpeg' | 'image/png';
	size_bytes: number;
	content: Uint8Array;
	uploaded_at: CreatedAt;
}

export interface CustomersTable {
	/** The public customer ID (6+ digits, Luhn check digit last). */
	id: string;
	name: string;
	phone: string | null;
	created_at: CreatedAt;
	/** Set when the customer erased their account (0007_privacy): no name, phone or login. */
	erased_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DevicesTable {
	id: Generated<string>;
	company_id: number;
	name: string;
	created_at: CreatedAt;
	last_sync_at: Date | null;
	/** SHA-256 (hex) of a paired terminal's credential token (0005); null for an admin's counter. */
	credential_hash: string | null;
	paired_at: Date | null;
	revoked_at: Date | null;
	revoke_mode: RevokeMode | null;
}

export interface OperationsTable {
	/** UUID v7 made on the device: the idempotency key. Server-made for refunds. */
	id: string;
	kind: ColumnType<OperationKind, OperationKind | undefined, never>;
	company_id: number;
	device_id: string | null;
	customer_id: string;
	amount_kopecks: number;
	rate_bp: number;
	cashback_kopecks: number;
	/** The part of the bill paid with cashback (C9): >= 0 on a payment, minus that on its refund. */
	redeemed_kopecks: ColumnType<number, number | undefined, number>;
	occurred_at: Timestamp;
	recorded_at: CreatedAt;
	/** SHA-256 of the operation's content as sent by the device; tells a duplicate from a conflict. */
	content_hash: string;
	/** For a refund: the operation it reverses (unique: one refund per operation). */
	reverses_id: string | null;
	reason: string | null;
	created_by: string | null;
	/** The cashier of the shift that took it (0005); null for the admin's own counter. */
	cashier_id: ColumnType<string | null, string | null | undefined, string | null>;
	shift_id: ColumnType<string | null, string | null | undefined, string | null>;
	/** The campaign whose rate it took and the cashback above the contract rate (0031). */
	campaign_id: ColumnType<number | null, number | null | undefined, number | null>;
	campaign_kopecks: ColumnType<number, number | undefined, number>;
}

/** A company's campaign («Акция», 0031, issue 22). */
export interface CompanyCampaignsTable {
	id: Generated<number>;
	company_id: number;
	name: string;
	rate_bp: number;
	/** Local dates, read as text (YYYY-MM-DD). */
	starts_on: ColumnType<string, string, string>;
	ends_on: ColumnType<string, string, string>;
	weekdays: number;
	from_minute: number;
	to_minute: number;
	created_by: string | null;
	created_at: CreatedAt;
	cancelled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** At revocation: still accept what the terminal took before it, or reject all unsent. */
export type RevokeMode = 'accept_before' | 'reject_unsent';

export interface PairingCodesTable {
	/** SHA-256 (hex) of the normalised code; the code itself is shown once and never stored. */
	code_hash: string;
	company_id: number;
	name: string;
	created_by: string | null;
	created_at: CreatedAt;
	expires_at: Timestamp;
	used_at: Date | null;
	device_id: string | null;
}

export interface PairingAttemptsTable {
	id: Generated<number>;
	ip: string;
	succeeded: boolean;
	attempted_at: ColumnType<Date, Date | string | undefined, never>;
	/** SHA-256 of the wrong code tried (0013): one wrong code repeated counts once. */
	code_hash: ColumnType<string | null, string | null | undefined, never>;
	/** A failure of an address past its own limit, counted in the platform-wide pool (0013). */
	pooled: ColumnType<boolean, boolean | undefined, never>;
}

export interface CashiersTable {
	id: Generated<string>;
	company_id: number;
	name: string;
	/** PBKDF2-SHA-256 of the PIN: salt and derived key in base64, and the iteration count. */
	pin_salt: string;
	pin_verifier: string;
	pin_iterations: number;
	active: ColumnType<boolean, boolean | undefined, boolean>;
	can_refund: ColumnType<boolean, boolean | undefined, boolean>;
	/** Argon2id of the refund PIN (0013): checked on the server only, never sent to a terminal. */
	refund_pin_hash: ColumnType<string | null, string | null | undefined, string | null>;
	created_at: CreatedAt;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CashierPinAttemptsTable {
	id: Generated<number>;
	cashier_id: string;
	device_id: string | null;
	succeeded: boolean;
	attempted_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Migration 0006: per company, local day and statement month, the ledger's signed sums. */
export interface CompanyDaySummariesTable {
	company_id: number;
	/** Local calendar date in the company's zone, YYYY-MM-DD (read as text). */
	day: ColumnType<string, string, never>;
	/** First day of the month whose statement holds these operations. */
	statement_month: ColumnType<string, string, never>;
	payment_count: number;
	payment_amount_kopecks: number;
	payment_cashback_kopecks: number;
	payment_redeemed_kopecks: number;
	refund_count: number;
	refund_amount_kopecks: number;
	refund_cashback_kopecks: number;
	refund_redeemed_kopecks: number;
	/** Migration 0009: the stripe of the day's sums a writer adds to (0–15; readers add them up). */
	slot: ColumnType<number, number | undefined, never>;
	/** Migration 0032 (issue 22): expired cashback (<= 0) and the campaign part of cashback. */
	expired_kopecks: ColumnType<number, number | undefined, number>;
	campaign_cashback_kopecks: ColumnType<number, number | undefined, number>;
}

/** Migration 0006: per company, the last closed month and when it closed. */
export interface StatementBooksTable {
	company_id: number;
	closed_through: ColumnType<string | null, string | null | undefined, string | null>;
	closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Migration 0006: a closed (frozen) monthly statement. */
export interface StatementsTable {
	company_id: number;
	month: ColumnType<string, string, never>;
	closed_at: ColumnType<Date, Date | string, never>;
	/** The operator who closed it; null when it closed by itself. */
	closed_by: ColumnType<string | null, string | null, never>;
	/** The canonical JSON of the frozen statement, exactly as hashed. */
	content: ColumnType<string, string, never>;
	sha256: ColumnType<string, string, never>;
	net_kopecks: ColumnType<number, number, never>;
}

/** The customer's balance, materialised (migration 0004): always the ledger sum, never < 0. */
export interface CustomerBalancesTable {
	customer_id: string;
	balance_kopecks: ColumnType<number, number | undefined, number>;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
	/** When an operation of the customer last moved the balance (0030): the expiry clock. */
	last_activity_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The program's rules in force from effective_from (0030, issue 22, SPEC C15). */
export interface ProgramRulesTable {
	id: Generated<number>;
	hold_days: number;
	/** 0 = never; else 3–24 months without an operation of the customer. */
	expiry_months: number;
	/** The highest campaign rate the operator allows. */
	campaign_max_bp: ColumnType<number, number | undefined, number>;
	effective_from: Timestamp;
	created_by: string | null;
	created_at: CreatedAt;
}

/** Cashback credited but not spendable before available_at (0030). */
export interface PendingCashbackTable {
	/** The ledger row that credited it: a payment or a `release`. */
	operation_id: string;
	/** The payment it comes from: a refund of that payment cancels what is still pending. */
	payment_id: string;
	customer_id: string;
	company_id: number;
	kopecks: number;
	cancelled_kopecks: ColumnType<number, number | undefined, number>;
	available_at: Timestamp;
	created_at: CreatedAt;
	/** When its operation happened (0033); null: written without it (look the operation up). */
	operation_occurred_at: ColumnType<Date | null, Date | string | null | undefined, never>;
}

/** One cancellation of pending cashback (0033): by a refund, or (refund_id null) an erasure. */
export interface PendingCancellationsTable {
	id: Generated<string>;
	operation_id: string;
	refund_id: string | null;
	kopecks: number;
	cancelled_at: CreatedAt;
}

/** Per company, the largest share of a bill payable with cashback, with history (C9). */
export interface CompanyRedeemLimitsTable {
	id: Generated<number>;
	company_id: number;
	/** Basis points of the bill; 0 = cashback not accepted. */
	redeem_max_bp: number;
	effective_from: Timestamp;
	created_by: string | null;
	created_at: CreatedAt;
}

/** Per company, the largest bill and cashback of one operation, with history (0011, C16). */
export interface CompanyMoneyLimitsTable {
	id: Generated<number>;
	company_id: number;
	max_bill_kopecks: number;
	max_cashback_kopecks: number;
	effective_from: Timestamp;
	created_by: string | null;
	created_at: CreatedAt;
}

/** Why a payment's cashback is held for review (0012_operation_holds). */
export type HoldReason =
	'velocity_customer_hour' | 'velocity_cashier_day' | 'near_bill_limit' | 'revoked_terminal';
export type HoldStatus = 'held' | 'released' | 'cancelled';

/** A held payment's cashback, waiting for review (0012): confirmed (released) or cancelled. */
export interface OperationHoldsTable {
	operation_id: string;
	company_id: number;
	customer_id: string;
	held_kopecks: number;
	reason: HoldReason;
	status: ColumnType<HoldStatus, HoldStatus | undefined, HoldStatus>;
	held_at: ColumnType<Date, Date | string | undefined, never>;
	decided_at: Date | null;
	decided_by: string | null;
	release_id: string | null;
}

/** The customer's TOTP secret, AES-GCM encrypted (server/crypto/secret-box.ts). */
export interface CustomerOtpSecretsTable {
	customer_id: string;
	secret_encrypted: string;
	created_at: CreatedAt;
}

/** A TOTP time step already accepted for a customer: its code is not accepted again. */
export interface OtpUsedStepsTable {
	customer_id: string;
	step: number;
	operation_id: string | null;
	used_at: ColumnType<Date, Date | string | undefined, never>;
}

/** A wrong code presented for a customer (counted for the lock). */
export interface OtpFailuresTable {
	id: Generated<number>;
	customer_id: string;
	company_id: number | null;
	failed_at: Timestamp;
}

/** A customer's redemption locked at one company (too many wrong codes; migration 0010). */
export interface OtpLocksTable {
	customer_id: string;
	company_id: number;
	locked_until: Timestamp;
	/** `company`: failures at this company; `platform`: the ceiling across companies. */
	cause: 'company' | 'platform';
	locked_at: Timestamp;
}

/** Per company and hour: unknown customer IDs it asked about, calls the lookup limit refused. */
export interface CustomerProbesTable {
	company_id: number;
	hour: Timestamp;
	unknown_ids: Generated<number>;
	throttled: Generated<number>;
	last_at: Timestamp;
}

export type ConsentPurpose = 'personal_data' | 'marketing' | 'terms';

/** A consent as given (0007_privacy); see server/repositories/consents.ts. */
export interface ConsentsTable {
	id: Generated<number>;
	purpose: ConsentPurpose;
	customer_id: string | null;
	company_id: number | null;
	user_id: string | null;
	document: string;
	locale: Locale;
	text_hash: string;
	given_at: CreatedAt;
	ip: string | null;
	user_agent: string | null;
	withdrawn_at: Date | null;
}

/** The erasure audit log (0007_privacy): names no person. */
export interface CustomerErasuresTable {
	id: Generated<number>;
	customer_id: string;
	erased_at: CreatedAt;
	forfeited_kopecks: number;
	operations_kept: number;
	consents_withdrawn: number;
}

export interface Database extends WebhookTables {
	users: UsersTable;
	sessions: SessionsTable;
	login_attempts: LoginAttemptsTable;
	password_reset_tokens: PasswordResetTokensTable;
	rate_events: RateEventsTable;
	partners: PartnersTable;
	license_ledger: LicenseLedgerTable;
	companies: CompaniesTable;
	company_rates: CompanyRatesTable;
	company_documents: CompanyDocumentsTable;
	customers: CustomersTable;
	devices: DevicesTable;
	operations: OperationsTable;
	company_day_summaries: CompanyDaySummariesTable;
	statement_books: StatementBooksTable;
	statements: StatementsTable;
	pairing_codes: PairingCodesTable;
	pairing_attempts: PairingAttemptsTable;
	cashiers: CashiersTable;
	cashier_pin_attempts: CashierPinAttemptsTable;
	customer_balances: CustomerBalancesTable;
	program_rules: ProgramRulesTable;
	pending_cashback: PendingCashbackTable;
	pending_cancellations: PendingCancellationsTable;
	company_campaigns: CompanyCampaignsTable;
	company_redeem_limits: CompanyRedeemLimitsTable;
	company_money_limits: CompanyMoneyLimitsTable;
	operation_holds: OperationHoldsTable;
	customer_otp_secrets: CustomerOtpSecretsTable;
	otp_used_steps: OtpUsedStepsTable;
	otp_failures: OtpFailuresTable;
	otp_locks: OtpLocksTable;
	customer_probes: CustomerProbesTable;
	consents: ConsentsTable;
	customer_erasures: CustomerErasuresTable;
	integration_keys: IntegrationKeysTable;
	api_idempotency: ApiIdempotencyTable;
	sale_lines: SaleLinesTable;
	refund_lines: RefundLinesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type Company = Selectable<CompaniesTable>;
export type NewCompany = Insertable<CompaniesTable>;
export type CompanyUpdate = Updateable<CompaniesTable>;
export type Partner = Selectable<PartnersTable>;
export type Customer = Selectable<CustomersTable>;
export type Device = Selectable<DevicesTable>;
export type Operation = Selectable<OperationsTable>;
export type NewOperation = Insertable<OperationsTable>;
export type Cashier = Selectable<CashiersTable>;
export type CompanyDocument = Selectable<CompanyDocumentsTable>;
