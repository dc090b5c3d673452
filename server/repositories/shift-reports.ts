import { sql, type Kysely, type Transaction } from 'kysely';
import { netFiguresOf } from '../../src/lib/domain/settlement';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** An X-report line (SPEC C10): one shift of one cashier at one terminal. */
export interface ShiftReportRow {
	shiftId: string | null;
	deviceId: string | null;
	deviceName: string | null;
	cashierId: string | null;
	cashierName: string | null;
	firstAt: Date;
	lastAt: Date;
	payments: number;
	/** Bills net of refunds («Выручка (за вычетом возвратов)»: what the shift took). */
	turnoverKopecks: number;
	/** Cashback accrued net of refunds. */
	cashbackKopecks: number;
	/** Paid with cashback net of refunds. */
	redeemedKopecks: number;
	refunds: number;
	refundedKopecks: number;
	cashbackReversedKopecks: number;
}

interface RawRow {
	shift_id: string | null;
	device_id: string | null;
	device_name: string | null;
	cashier_id: string | null;
	cashier_name: string | null;
	first_at: Date | string;
	last_at: Date | string;
	payments: number | string;
	turnover: number | string;
	cashback: number | string;
	redeemed: number | string;
	refunds: number | string;
	refund_amount: number | string;
	refund_cashback: number | string;
	refund_redeemed: number | string;
}

const figures = sql`
	o.shift_id, o.device_id, d.name as device_name, o.cashier_id, c.name as cashier_name,
	min(o.occurred_at) as first_at, max(o.occurred_at) as last_at,
	count(*) filter (where o.kind = 'payment') as payments,
	coalesce(sum(o.amount_kopecks) filter (where o.kind = 'payment'), 0) as turnover,
	coalesce(sum(o.cashback_kopecks) filter (where o.kind = 'payment'), 0) as cashback,
	coalesce(sum(o.redeemed_kopecks) filter (where o.kind = 'payment'), 0) as redeemed,
	count(*) filter (where o.kind = 'refund') as refunds,
	coalesce(sum(o.amount_kopecks) filter (where o.kind = 'refund'), 0) as refund_amount,
	coalesce(sum(o.cashback_kopecks) filter (where o.kind = 'refund'), 0) as refund_cashback,
	coalesce(sum(o.redeemed_kopecks) filter (where o.kind = 'refund'), 0) as refund_redeemed`;

/** A report line: its money netted of refunds by the overview's own definition. */
function toRow(r: RawRow): ShiftReportRow {
	const net = netFiguresOf({
		payments: Number(r.payments),
		paymentAmountKopecks: Number(r.turnover),
		accruedKopecks: Number(r.cashback),
		redeemedKopecks: Number(r.redeemed),
		refunds: Number(r.refunds),
		refundAmountKopecks: Number(r.refund_amount),
		refundCashbackKopecks: Number(r.refund_cashback),
		refundRedeemedKopecks: Number(r.refund_redeemed)
	});
	return {
		shiftId: r.shift_id,
		deviceId: r.device_id,
		deviceName: r.device_name,
		cashierId: r.cashier_id,
		cashierName: r.cashier_name,
		firstAt: new Date(r.first_at),
		lastAt: new Date(r.last_at),
		payments: Number(r.payments),
		turnoverKopecks: net.turnoverKopecks,
		cashbackKopecks: net.accruedKopecks,
		redeemedKopecks: net.redeemedKopecks,
		refunds: Number(r.refunds),
		refundedKopecks: -Number(r.refund_amount),
		cashbackReversedKopecks: -Number(r.refund_cashback)
	};
}

/** One shift of a terminal, as the server has it (what the terminal has not sent is not here). */
export async function shiftReport(
	db: Db,
	input: { companyId: number; deviceId: string; shiftId: string }
): Promise<ShiftReportRow | null> {
	const result = await sql<RawRow>`
		select ${figures}
		from operations o
		left join devices d on d.id = o.device_id
		left join cashiers c on c.id = o.cashier_id
		where o.company_id = ${input.companyId} and o.device_id = ${input.deviceId}
			and o.shift_id = ${input.shiftId}
		group by o.shift_id, o.device_id, d.name, o.cashier_id, c.name`.execute(db);
	const row = result.rows[0];
	return row ? toRow(row) : null;
}

/**
 * The company's shifts of one local day (its time zone), by terminal, cashier and shift, in
 * the order they started. The admin's own counter and cabinet refunds have no shift: they form
 * one line per day with no cashier («Администратор»).
 */
export async function shiftReportsForDay(
	db: Db,
	input: { companyId: number; date: string }
): Promise<ShiftReportRow[]> {
	const result = await sql<RawRow>`
		with b as (
			select (${input.date}::text::date::timestamp at time zone co.time_zone) as s,
				((${input.date}::text::date + 1)::timestamp at time zone co.time_zone) as e
			from companies co where co.id = ${input.companyId}
		)
		select ${figures}
		from operations o
		cross join b
		left join devices d on d.id = o.device_id
		left join cashiers c on c.id = o.cashier_id
		where o.company_id = ${input.companyId} and o.occurred_at >= b.s and o.occurred_at < b.e
		group by o.shift_id, o.device_id, d.name, o.cashier_id, c.name
		order by min(o.occurred_at)`.execute(db);
	return result.rows.map(toRow);
}
