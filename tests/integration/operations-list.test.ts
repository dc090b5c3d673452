import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { operationsCsvStream, BOM } from '../../server/services/operations-csv';
import type { Period } from '../../src/lib/forms/period';
import { useTestDatabase } from './support/db';
import { insertDevice, insertPayment } from './support/cabinets-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

const t = useTestDatabase();
beforeAll(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	await insertCustomer(t.db, '765438', '=HYPERLINK("http://evil.example";"Петрова")');
});

async function shop(timeZone: string) {
	const companyId = await insertCompany(t.db, { timeZone, rateBp: 1000 });
	const deviceId = await insertDevice(t.db, companyId);
	const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
	const pay = (occurredAt: string, amountKopecks = 100_00, customerId = '123455') =>
		insertPayment(t.db, {
			companyId,
			deviceId,
			customerId,
			amountKopecks,
			rateBp: 1000,
			occurredAt: new Date(occurredAt)
		});
	return { companyId, api, pay };
}

type Api = Awaited<ReturnType<typeof shop>>['api'];

/** Every row of a period, page by page through the keyset cursor. */
async function allRows(api: Api, period: Period, limit = 50) {
	const rows: Awaited<ReturnType<Api['companies']['listOperations']>>['rows'] = [];
	let cursor: { at: string; id: string } | undefined;
	for (let pages = 0; pages < 1000; pages++) {
		const page = await api.companies.listOperations({ period, cursor, limit });
		rows.push(...page.rows);
		if (!page.nextCursor) return rows;
		cursor = page.nextCursor;
	}
	throw new Error('pagination does not end');
}

const ids = async (api: Api, period: Period) => (await allRows(api, period)).map((r) => r.id);

describe('periods in the company’s time zone', () => {
	for (const [timeZone, offset] of [
		['Asia/Vladivostok', '+10:00'],
		['Europe/Moscow', '+03:00']
	] as const) {
		it(`23:30 local time lands in its own day, month and year (${timeZone})`, async () => {
			const { api, pay } = await shop(timeZone);
			const lateDay = await pay(`2025-03-15T23:30:00${offset}`);
			const nextMidnight = await pay(`2025-03-16T00:00:00${offset}`);
			const endOfJanuary = await pay(`2025-01-31T23:30:00${offset}`);
			const firstOfFebruary = await pay(`2025-02-01T00:00:00${offset}`);
			const endOfYear = await pay(`2024-12-31T23:30:00${offset}`);
			const newYear = await pay(`2025-01-01T00:00:00${offset}`);

			expect(await ids(api, { kind: 'day', anchor: '2025-03-15' })).toEqual([lateDay]);
			expect(await ids(api, { kind: 'day', anchor: '2025-03-16' })).toEqual([nextMidnight]);
			expect(await ids(api, { kind: 'month', anchor: '2025-01-20' })).toEqual([
				endOfJanuary,
				newYear
			]);
			expect(await ids(api, { kind: 'month', anchor: '2025-02-01' })).toEqual([firstOfFebruary]);
			expect(await ids(api, { kind: 'year', anchor: '2024-06-01' })).toEqual([endOfYear]);
			expect(await ids(api, { kind: 'year', anchor: '2025-12-31' })).toEqual([
				nextMidnight,
				lateDay,
				firstOfFebruary,
				endOfJanuary,
				newYear
			]);
			expect(await ids(api, { kind: 'custom', from: '2024-12-31', to: '2025-01-01' })).toEqual([
				newYear,
				endOfYear
			]);

			const day = await api.companies.listOperations({
				period: { kind: 'day', anchor: '2025-03-15' }
			});
			expect(day.totals).toMatchObject({
				timeZone,
				payments: 1,
				amountKopecks: 100_00,
				cashbackKopecks: 10_00,
				redeemedKopecks: 0
			});
			expect(day.totals!.from.toISOString()).toBe(
				new Date(`2025-03-15T00:00:00${offset}`).toISOString()
			);
			expect(day.totals!.to.toISOString()).toBe(
				new Date(`2025-03-16T00:00:00${offset}`).toISOString()
			);

			const chart = await api.companies.operationsChart({
				period: { kind: 'month', anchor: '2025-01-05' }
			});
			expect(chart.unit).toBe('day');
			expect(chart.buckets).toHaveLength(31);
			expect(chart.buckets[0]).toEqual({
				bucket: '2025-01-01',
				amountKopecks: 100_00,
				cashbackKopecks: 10_00,
				redeemedKopecks: 0
			});
			expect(chart.buckets[30]).toEqual({
				bucket: '2025-01-31',
				amountKopecks: 100_00,
				cashbackKopecks: 10_00,
				redeemedKopecks: 0
			});
			expect(chart.buckets.slice(1, 30).every((b) => b.amountKopecks === 0)).toBe(true);

			const year = await api.companies.operationsChart({
				period: { kind: 'year', anchor: '2025-07-01' }
			});
			expect(year.unit).toBe('month');
			expect(year.buckets.map((b) => [b.bucket, b.amountKopecks / 100])).toEqual([
				['2025-01-01', 200],
				['2025-02-01', 100],
				['2025-03-01', 200],
				...['04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => [`2025-${m}-01`, 0])
			]);
		});
	}

	it('without an anchor the period holds today in the company’s zone', async () => {
		const { api, pay } = await shop('Asia/Kamchatka');
		const now = await pay(new Date().toISOString());
		expect(await ids(api, { kind: 'day' })).toEqual([now]);
		expect(await ids(api, { kind: 'month' })).toEqual([now]);
	});
});

describe('keyset pagination', () => {
	it('pages through ties and microsecond times without losing or repeating a row', async () => {
		const { api, pay, companyId } = await shop('Europe/Moscow');
		const made: string[] = [];
		for (let i = 0; i < 37; i++) {
			// Groups of identical times, so the order falls back to the ID.
			made.push(await pay(`2025-05-10T1${Math.floor(i / 5)}:00:00+03:00`, 100 + i));
		}
		// Sub-millisecond times: a cursor rounded to milliseconds would skip or repeat these.
		await sql`update operations set occurred_at = occurred_at + make_interval(secs => 0.000001 * (amount_kopecks - 100))
			where company_id = ${companyId} and amount_kopecks between 100 and 104`.execute(t.db);
		const period: Period = { kind: 'day', anchor: '2025-05-10' };
		for (const limit of [1, 7, 10, 36, 37, 200]) {
			const rows = await allRows(api, period, limit);
			expect(rows).toHaveLength(37);
			expect(new Set(rows.map((r) => r.id)).size).toBe(37);
			expect([...rows.map((r) => r.id)].sort()).toEqual([...made].sort());
		}
		const expected = await t.db
			.selectFrom('operations')
			.select('id')
			.where('company_id', '=', companyId)
			.orderBy('occurred_at', 'desc')
			.orderBy('id', 'desc')
			.execute();
		expect((await allRows(api, period, 6)).map((r) => r.id)).toEqual(expected.map((r) => r.id));
		const first = await api.companies.listOperations({ period, limit: 10 });
		expect(first.totals?.payments).toBe(37);
		const second = await api.companies.listOperations({
			period,
			limit: 10,
			cursor: first.nextCursor!
		});
		expect(second.totals).toBeNull();
	});

	it('a company never reads another company’s operations', async () => {
		const a = await shop('Europe/Moscow');
		const b = await shop('Europe/Moscow');
		const mine = await a.pay('2025-06-01T12:00:00+03:00');
		const theirs = await b.pay('2025-06-01T12:00:00+03:00', 999_99);
		const period: Period = { kind: 'day', anchor: '2025-06-01' };
		expect(await ids(a.api, period)).toEqual([mine]);
		expect(await ids(b.api, period)).toEqual([theirs]);
		const totals = (await a.api.companies.listOperations({ period })).totals;
		expect(totals).toMatchObject({ payments: 1, amountKopecks: 100_00 });
		const batch = await a.api.companies.exportOperations({ period });
		expect(batch.rows.map((r) => r.id)).toEqual([mine]);
		const chart = await a.api.companies.operationsChart({ period });
		expect(chart.buckets).toEqual([
			{ bucket: '2025-06-01', amountKopecks: 100_00, cashbackKopecks: 10_00, redeemedKopecks: 0 }
		]);
	});
});

/** Cells of one CSV line with `;` and RFC 4180 quoting, as Excel reads it. */
function cellsOf(line: string): string[] {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i]!;
		if (quoted && ch === '"' && line[i + 1] === '"') {
			cell += '"';
			i++;
		} else if (ch === '"') {
			quoted = !quoted;
		} else if (!quoted && ch === ';') {
			cells.push(cell);
			cell = '';
		} else {
			cell += ch;
		}
	}
	cells.push(cell);
	return cells;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
	// ignoreBOM keeps the BOM in the text, so the test can see it is there.
	const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
	return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

describe('CSV export', () => {
	it('matches the list row for row, in Russian Excel’s format, streamed in batches', async () => {
		const { api, pay } = await shop('Asia/Vladivostok');
		for (let i = 0; i < 23; i++) {
			await pay(`2025-08-0${1 + (i % 9)}T23:${10 + i}:00+10:00`, 1_000_00 + i * 1_55);
		}
		await pay('2025-08-11T16:03:00+10:00', 1, '765438');
		const period: Period = { kind: 'month', anchor: '2025-08-01' };
		const listed = await allRows(api, period, 10);
		let batches = 0;
		const csv = await readAll(
			operationsCsvStream(
				async (cursor) => {
					batches++;
					return api.companies.exportOperations({ period, cursor, limit: 5 });
				},
				{
					header: [
						'№',
						'ФИО клиента',
						'ID',
						'Дата',
						'Сумма счета, руб.',
						'Кэшбэк, %',
						'CashBack, руб.',
						'Операция'
					],
					payment: 'Оплата',
					refund: 'Возврат'
				}
			)
		);
		expect(batches).toBe(5);
		expect(csv.startsWith(BOM)).toBe(true);
		const lines = csv.slice(1).split('\r\n');
		expect(lines.pop()).toBe('');
		expect(lines[0]).toBe(
			'№;ФИО клиента;ID;Дата;Сумма счета, руб.;Кэшбэк, %;CashBack, руб.;Операция'
		);
		expect(lines.slice(1)).toHaveLength(listed.length);
		const dateIn = new Intl.DateTimeFormat('ru-RU', {
			timeZone: 'Asia/Vladivostok',
			day: '2-digit',
			month: '2-digit',
			year: 'numeric',
			hour: '2-digit',
			minute: '2-digit'
		});
		listed.forEach((row, i) => {
			const cells = cellsOf(lines[i + 1]!);
			expect(cells).toHaveLength(9);
			expect(cells[0]).toBe(String(i + 1));
			expect(cells[1]).toBe(
				row.customerName.startsWith('=') ? `'${row.customerName}` : row.customerName
			);
			expect(cells[2]).toBe(row.customerId);
			expect(cells[3]).toBe(dateIn.format(row.occurredAt).replace(', ', ' '));
			expect(cells[4]).toBe((row.amountKopecks / 100).toFixed(2).replace('.', ','));
			expect(cells[5]).toBe('10');
			expect(cells[6]).toBe((row.cashbackKopecks / 100).toFixed(2).replace('.', ','));
		});
		// The newest row is the 1-kopeck bill of the customer whose name is a formula.
		expect(lines[1]).toBe(
			`1;"'=HYPERLINK(""http://evil.example"";""Петрова"")";765438;11.08.2025 16:03;0,01;10;0,00;Оплата;0,00`
		);
		expect(lines[2]).toMatch(/^2;Иванов Иван;123455;09\.08\.2025 23:/);
	});
});
