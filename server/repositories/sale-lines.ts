import { sql, type Kysely, type Transaction } from 'kysely';
import { toMilli, type RefundedLine, type SoldLine } from '../../src/lib/domain/refund-lines';
import type { ReceiptLine } from '../../src/lib/domain/receipt';
import type { Database } from '../db/types';

/**
 * A sale's receipt lines (0035), as the till sent them, numbered from 1; a repeat of the sale
 * keeps the first ones (and fills them in when the first attempt stopped before them).
 */
export async function insertSaleLines(
	db: Kysely<Database>,
	input: { operationId: string; companyId: number; lines: readonly ReceiptLine[] }
): Promise<void> {
	if (input.lines.length === 0) return;
	await db
		.insertInto('sale_lines')
		.values(
			input.lines.map((l, i) => ({
				operation_id: input.operationId,
				line_no: i + 1,
				company_id: input.companyId,
				name: l.name,
				quantity_milli: toMilli(l.quantity),
				amount_kopecks: l.amountKopecks,
				no_cashback: l.noCashback ?? false,
				no_redeem: l.noRedeem ?? false
			}))
		)
		.onConflict((oc) => oc.columns(['operation_id', 'line_no']).doNothing())
		.execute();
}

/**
 * The sale's lines of this company with what refunds took back of each, the lines locked
 * (FOR UPDATE) so refunds by lines of one sale take turns; empty when it has none stored.
 * Two statements: the refunded quantities are read after the lock is held, so (read committed)
 * they include every refund that committed while this one waited for it.
 */
export async function soldLinesForUpdate(
	trx: Transaction<Database>,
	companyId: number,
	operationId: string
): Promise<SoldLine[]> {
	const rows = await trx
		.selectFrom('sale_lines')
		.select(['line_no', 'quantity_milli', 'amount_kopecks', 'no_cashback'])
		.where('operation_id', '=', operationId)
		.where('company_id', '=', companyId)
		.orderBy('line_no')
		.forUpdate()
		.execute();
	if (rows.length === 0) return [];
	const refunded = await trx
		.selectFrom('refund_lines')
		.select(['line_no', sql<number>`sum(quantity_milli)::int8`.as('milli')])
		.where('operation_id', '=', operationId)
		.groupBy('line_no')
		.execute();
	const byLine = new Map(refunded.map((r) => [r.line_no, Number(r.milli)]));
	return rows.map((r) => ({
		line: r.line_no,
		quantityMilli: Number(r.quantity_milli),
		amountKopecks: Number(r.amount_kopecks),
		noCashback: r.no_cashback,
		refundedMilli: byLine.get(r.line_no) ?? 0
	}));
}

export async function insertRefundLines(
	trx: Transaction<Database>,
	input: { refundId: string; operationId: string; lines: readonly RefundedLine[] }
): Promise<void> {
	await trx
		.insertInto('refund_lines')
		.values(
			input.lines.map((l) => ({
				refund_id: input.refundId,
				operation_id: input.operationId,
				line_no: l.line,
				quantity_milli: l.quantityMilli,
				amount_kopecks: l.amountKopecks
			}))
		)
		.execute();
}
