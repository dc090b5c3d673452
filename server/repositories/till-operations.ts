import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OperationKind } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** An operation as the till API answers it (SPEC C13). */
export interface TillOperation {
	id: string;
	kind: OperationKind;
	customerId: string;
	amountKopecks: number;
	rateBp: number;
	cashbackKopecks: number;
	redeemedKopecks: number;
	occurredAt: string;
	reversesId: string | null;
	heldKopecks: number | null;
}

function select(db: Db) {
	return db
		.selectFrom('operations as o')
		.leftJoin('operation_holds as h', (j) =>
			j.onRef('h.operation_id', '=', 'o.id').on('h.status', '=', 'held')
		)
		.select([
			'o.id',
			'o.kind',
			'o.customer_id as customerId',
			'o.amount_kopecks as amountKopecks',
			'o.rate_bp as rateBp',
			'o.cashback_kopecks as cashbackKopecks',
			'o.redeemed_kopecks as redeemedKopecks',
			'o.occurred_at as occurredAt',
			'o.reverses_id as reversesId',
			'h.held_kopecks as heldKopecks'
		]);
}

function shape(row: {
	id: string;
	kind: TillOperation['kind'];
	customerId: string;
	amountKopecks: number;
	rateBp: number;
	cashbackKopecks: number;
	redeemedKopecks: number;
	occurredAt: Date | string;
	reversesId: string | null;
	heldKopecks: number | null;
}): TillOperation {
	return {
		...row,
		amountKopecks: Number(row.amountKopecks),
		cashbackKopecks: Number(row.cashbackKopecks),
		redeemedKopecks: Number(row.redeemedKopecks),
		heldKopecks: row.heldKopecks === null ? null : Number(row.heldKopecks),
		occurredAt: new Date(row.occurredAt).toISOString()
	};
}

/** One operation of this company, or undefined (another company's is not there). */
export async function getTillOperation(db: Db, companyId: number, id: string) {
	const row = await select(db)
		.where('o.id', '=', id)
		.where('o.company_id', '=', companyId)
		.executeTakeFirst();
	return row ? shape(row) : undefined;
}

/**
 * The company's operations recorded since a time, oldest first, for reconciliation: by when
 * the server recorded them (an offline sale that arrives late still comes after the cursor),
 * then ID; the cursor is the last row's (recorded_at, id).
 */
export async function listTillOperations(
	db: Db,
	input: { companyId: number; since: Date; after?: { at: string; id: string }; limit: number }
) {
	const rows = await select(db)
		.select(sql<string>`o.recorded_at::text`.as('cursorAt'))
		.where('o.company_id', '=', input.companyId)
		.where('o.recorded_at', '>=', input.since)
		.$if(input.after !== undefined, (q) =>
			q.where(
				sql`(o.recorded_at, o.id)`,
				'>',
				sql`(${input.after!.at}::text::timestamptz, ${input.after!.id}::uuid)`
			)
		)
		.orderBy('o.recorded_at')
		.orderBy('o.id')
		.limit(input.limit + 1)
		.execute();
	const page = rows.slice(0, input.limit);
	const last = page[page.length - 1];
	return {
		operations: page.map(({ cursorAt: _c, ...row }) => shape(row)),
		next: rows.length > input.limit && last ? { at: last.cursorAt, id: last.id } : null
	};
}
