import { bpToPercentString, kopecksToDecimalString } from '../../src/lib/domain/money';
import type { ListCursor } from '../repositories/operations-list';

/** What the CSV needs of an operation (a row of companies.exportOperations). */
export interface CsvOperation {
	kind: 'payment' | 'refund' | 'release' | 'expiry';
	customerName: string;
	customerId: string;
	occurredAt: Date;
	amountKopecks: number;
	rateBp: number;
	cashbackKopecks: number;
	/** The part paid with cashback (C9); minus it on a refund. */
	redeemedKopecks?: number;
	/** «Касса» and «Кассир» (SPEC C10); null: a cabinet refund / the admin's own counter. */
	deviceName?: string | null;
	cashierName?: string | null;
	/** Issue 22: the campaign part of the cashback (signed like it; minus it on a refund). */
	campaignKopecks?: number;
}

export interface CsvBatch {
	rows: CsvOperation[];
	nextCursor: ListCursor | null;
	timeZone: string;
}

export interface CsvLabels {
	/**
	 * Column titles, in order: №, client, ID, date, bill, rate %, cashback, kind, redeemed, with
	 * `admin` set terminal and cashier, and with `campaign` set the campaign part of the cashback.
	 */
	header: readonly string[];
	payment: string;
	refund: string;
	/** Held cashback credited on review (0012); the payment's label when absent. */
	release?: string;
	/** An idle customer's balance expired (issue 22); the payment's label when absent. */
	expiry?: string;
	/** Shown for an operation with no terminal (a cabinet refund) and with no cashier (the admin). */
	cabinet?: string;
	admin?: string;
	/** Set (to anything): the last column is the campaign part of the cashback (issue 22). */
	campaign?: true;
}

/** UTF-8 byte order mark: without it Russian Excel reads the file as Windows-1251. */
export const BOM = '\uFEFF';
const SEPARATOR = ';';

/**
 * A text cell, safe for Excel: a leading `=`, `+`, `-`, `@` (or tab / carriage return) would
 * make Excel evaluate the cell as a formula (CSV injection, OWASP), so it gets a leading `'`;
 * a cell holding the separator, a quote or a line break is quoted with quotes doubled.
 * Numbers we format ourselves do not pass through here: `-150,00` is a number, not a formula.
 */
export function csvText(value: string): string {
	const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[;"\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

/** `dd.mm.yyyy hh:mm` in the company's zone: the form Russian Excel reads as a date. */
function dateFormatter(timeZone: string) {
	const format = new Intl.DateTimeFormat('ru-RU', {
		timeZone,
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	});
	return (date: Date) => format.format(date).replace(', ', ' ');
}

/** One line of the CSV (with its CRLF): numbers with a decimal comma, texts neutralised. */
export function csvLine(
	n: number,
	op: CsvOperation,
	formatDate: (d: Date) => string,
	labels: CsvLabels
): string {
	return (
		[
			String(n),
			csvText(op.customerName),
			csvText(op.customerId),
			formatDate(op.occurredAt),
			kopecksToDecimalString(op.amountKopecks, ','),
			bpToPercentString(op.rateBp),
			kopecksToDecimalString(op.cashbackKopecks, ','),
			csvText(
				op.kind === 'refund'
					? labels.refund
					: op.kind === 'release'
						? (labels.release ?? labels.payment)
						: op.kind === 'expiry'
							? (labels.expiry ?? labels.payment)
							: labels.payment
			),
			kopecksToDecimalString(op.redeemedKopecks ?? 0, ','),
			// «Касса» and «Кассир» when the header has them (SPEC C10).
			...(labels.admin !== undefined
				? [csvText(op.deviceName ?? labels.cabinet ?? ''), csvText(op.cashierName ?? labels.admin)]
				: []),
			...(labels.campaign ? [kopecksToDecimalString(op.campaignKopecks ?? 0, ',')] : [])
		].join(SEPARATOR) + '\r\n'
	);
}

/**
 * The CSV of a period as a byte stream: the BOM and the header, then each batch as it is
 * fetched (keyset, one batch at a time when the reader asks for more), so a year of a busy shop
 * never sits in memory. `fetchBatch` is called with the previous batch's cursor.
 */
export function operationsCsvStream(
	fetchBatch: (cursor: ListCursor | undefined) => Promise<CsvBatch>,
	labels: CsvLabels
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let cursor: ListCursor | undefined;
	let n = 0;
	let started = false;
	let formatDate: ((d: Date) => string) | undefined;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(
					encoder.encode(BOM + labels.header.map(csvText).join(SEPARATOR) + '\r\n')
				);
				return;
			}
			const batch = await fetchBatch(cursor);
			formatDate ??= dateFormatter(batch.timeZone);
			let chunk = '';
			for (const op of batch.rows) chunk += csvLine(++n, op, formatDate, labels);
			if (chunk) controller.enqueue(encoder.encode(chunk));
			if (batch.nextCursor) cursor = batch.nextCursor;
			else controller.close();
		}
	});
}
