import { describe, expect, it } from 'vitest';
import { csvLine, csvText } from './operations-csv';

describe('CSV cells for Russian Excel', () => {
	it('neutralises a text starting with = + - @ (or tab / CR) against formula injection', () => {
		for (const evil of ['=1+2', '+7 cmd', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
			expect(csvText(evil).replace(/^"|"$/g, '').startsWith("'")).toBe(true);
		}
		expect(csvText('Иванов Иван')).toBe('Иванов Иван');
	});

	it('quotes the separator, quotes and line breaks', () => {
		expect(csvText('ООО "Ромашка"; филиал')).toBe('"ООО ""Ромашка""; филиал"');
		expect(csvText('две\nстроки')).toBe('"две\nстроки"');
		expect(csvText('=A1;B1')).toBe(`"'=A1;B1"`);
	});

	it('writes numbers with a decimal comma, refunds negative, one CRLF line', () => {
		const labels = { header: [], payment: 'Оплата', refund: 'Возврат' };
		const date = () => '11.08.2019 16:03';
		const op = {
			kind: 'payment' as const,
			customerName: 'Иванов Иван',
			customerId: '123455',
			occurredAt: new Date(),
			amountKopecks: 876_900,
			rateBp: 1250,
			cashbackKopecks: 109_613
		};
		expect(csvLine(4, op, date, labels)).toBe(
			'4;Иванов Иван;123455;11.08.2019 16:03;8769,00;12,5;1096,13;Оплата;0,00\r\n'
		);
		expect(
			csvLine(5, { ...op, kind: 'refund', amountKopecks: -1, cashbackKopecks: 0 }, date, labels)
		).toBe('5;Иванов Иван;123455;11.08.2019 16:03;-0,01;12,5;0,00;Возврат;0,00\r\n');
	});

	it('writes the campaign part of the cashback apart, last, when asked (issue 22)', () => {
		const labels = { header: [], payment: 'Оплата', refund: 'Возврат', campaign: true as const };
		const date = () => '11.08.2019 16:03';
		const op = {
			kind: 'payment' as const,
			customerName: 'Иванов Иван',
			customerId: '123455',
			occurredAt: new Date(),
			amountKopecks: 100_000,
			rateBp: 1500,
			cashbackKopecks: 15_000,
			campaignKopecks: 5_000
		};
		expect(csvLine(1, op, date, labels)).toBe(
			'1;Иванов Иван;123455;11.08.2019 16:03;1000,00;15;150,00;Оплата;0,00;50,00\r\n'
		);
		expect(
			csvLine(
				2,
				{ ...op, kind: 'refund', cashbackKopecks: -15_000, campaignKopecks: -5_000 },
				date,
				{
					...labels,
					admin: 'Администратор',
					cabinet: 'Кабинет'
				}
			)
		).toBe(
			'2;Иванов Иван;123455;11.08.2019 16:03;1000,00;15;-150,00;Возврат;0,00;Кабинет;Администратор;-50,00\r\n'
		);
	});
});
