import type { Kysely } from 'kysely';
import { refundLines, toMilli, type RefundedLine } from '../../src/lib/domain/refund-lines';
import type { Database } from '../db/types';
import { refundPayment } from '../repositories/refunds';
import { insertRefundLines, soldLinesForUpdate } from '../repositories/sale-lines';
import { getTillOperation, type TillOperation } from '../repositories/till-operations';
import type { ApiPrincipal } from './integration-keys';
import type { Problem } from './till-api';

type Result<T> = { ok: T } | Problem;

/**
 * A refund of a sale of this company, whole or a part: an amount, or lines of the sale's
 * receipt (stored with the sale) by number and quantity. The lines are checked and turned into
 * the amount by the domain (refund-lines.ts) under their row lock, in the refund's transaction;
 * the refund itself is the one every door uses (refundPayment), so an amount and lines mixed
 * on one sale stay within its bill.
 */
export async function refundSale(
	db: Kysely<Database>,
	who: ApiPrincipal,
	input: {
		operationId: string;
		amountKopecks?: number;
		lines?: readonly { line: number; quantity?: number }[];
		reason?: string;
	}
): Promise<Result<{ refund: TillOperation; remainingKopecks: number; lines: RefundedLineBody[] }>> {
	const outcome = await db.transaction().execute(async (trx) => {
		let amountKopecks = input.amountKopecks;
		let lines: RefundedLine[] = [];
		if (input.lines) {
			const sold = await soldLinesForUpdate(trx, who.companyId, input.operationId);
			if (sold.length === 0) {
				const sale = await getTillOperation(trx, who.companyId, input.operationId);
				return { problem: sale ? 'sale_lines_unknown' : 'not_found', field: 'lines' } as Problem;
			}
			const byLines = refundLines(
				sold,
				input.lines.map((l) => ({
					line: l.line,
					quantityMilli: l.quantity === undefined ? undefined : toMilli(l.quantity)
				}))
			);
			if (!byLines.ok)
				return {
					problem: byLines.error,
					field: byLines.index === undefined ? 'lines' : `lines.${byLines.index}`
				} as Problem;
			amountKopecks = byLines.amountKopecks;
			lines = byLines.lines;
		}
		const refunded = await refundPayment(trx, {
			companyId: who.companyId,
			operationId: input.operationId,
			reason: input.reason ?? 'Возврат на кассе',
			userId: null,
			amountKopecks,
			device: { deviceId: who.deviceId }
		});
		if (refunded.ok && lines.length > 0)
			await insertRefundLines(trx, {
				refundId: refunded.refund.id,
				operationId: input.operationId,
				lines
			});
		return { refunded, lines };
	});
	if ('problem' in outcome) return outcome;
	const { refunded, lines } = outcome;
	if (!refunded.ok)
		return {
			problem: refunded.error,
			field:
				refunded.error === 'over_refund' ? (input.lines ? 'lines' : 'amountKopecks') : undefined
		};
	const refund = await getTillOperation(db, who.companyId, refunded.refund.id);
	if (!refund) throw new Error(`refund ${refunded.refund.id}: stored but not found`);
	return {
		ok: {
			refund,
			remainingKopecks: refunded.refund.remainingKopecks,
			lines: lines.map((l) => ({
				line: l.line,
				quantity: l.quantityMilli / 1000,
				amountKopecks: l.amountKopecks
			}))
		}
	};
}

type RefundedLineBody = { line: number; quantity: number; amountKopecks: number };
