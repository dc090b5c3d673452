import { type Kysely, sql } from 'kysely';

/**
 * Campaigns («Акции», issue 22, SPEC C15): a company's raised rate on chosen weekdays and
 * hours between two local dates (src/lib/domain/campaign.ts says when one is in force). At
 * most 10 not ended and not cancelled per company (checked by the service under the company's
 * row lock). A cancelled campaign keeps its row (history).
 *
 * `operations.campaign_id` / `campaign_kopecks`: the campaign whose rate a payment took and
 * the part of its cashback above the contract rate (0 for everything stored before, so
 * existing data has no campaign part).
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE company_campaigns (
		id serial PRIMARY KEY,
		company_id integer NOT NULL REFERENCES companies (id),
		name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
		rate_bp integer NOT NULL CHECK (rate_bp BETWEEN 1 AND 10000),
		starts_on date NOT NULL,
		ends_on date NOT NULL,
		weekdays smallint NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
		from_minute smallint NOT NULL CHECK (from_minute BETWEEN 0 AND 1439),
		to_minute smallint NOT NULL CHECK (to_minute BETWEEN 0 AND 1439),
		created_by uuid REFERENCES users (id),
		created_at timestamptz NOT NULL DEFAULT now(),
		cancelled_at timestamptz,
		CHECK (ends_on >= starts_on)
	)`.execute(db);
	await sql`CREATE INDEX company_campaigns_company_idx ON company_campaigns (company_id, ends_on)
		WHERE cancelled_at IS NULL`.execute(db);
	await sql`ALTER TABLE operations ADD COLUMN campaign_id integer,
		ADD COLUMN campaign_kopecks bigint NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE operations DROP COLUMN IF EXISTS campaign_id,
		DROP COLUMN IF EXISTS campaign_kopecks`.execute(db);
	await sql`DROP TABLE IF EXISTS company_campaigns`.execute(db);
}
