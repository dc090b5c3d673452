import { describe, expect, it } from 'vitest';
import { ZERO_FIGURES } from '../../src/lib/domain/settlement';
import { statementCsv, type StatementCsvLabels } from './statements-csv';
import type { Statement } from './statements';

const labels: StatementCsvLabels = {
	section: 'Раздел',
	company: 'Компания',
	partner: 'Партнёр',
	status: 'Статус',
	figures: ['Операций', 'Оплат', 'Возвратов', 'Оборот', 'Нач', 'Стор', 'Спис', 'Возвр', 'Сальдо'],
	apart: {
		campaign: 'По акциям',
		expired: 'Сгорело',
		pending: 'Ожидает',
		pendingAtClose: 'Ожидало при закрытии',
		released: 'Стало доступно'
	},
	payer: 'Кто кому платит',
	sha: 'SHA-256',
	monthName: (m) => `месяц ${m}`,
	current: (m) => `Операции за ${m}`,
	late: (m) => `Поздние операции за ${m}`,
	lateTotal: 'Итого поздних',
	total: 'Итого',
	payerText: (s) => `net ${s.total.netKopecks}`,
	statusText: (s) => s.status
};

describe('statementCsv', () => {
	it('writes each section, the late subtotal, the total, the figures apart, who pays and the hash', () => {
		const late = {
			...ZERO_FIGURES,
			operations: 1,
			payments: 1,
			accruedKopecks: 150,
			netKopecks: 150
		};
		const statement: Statement = {
			companyId: 1,
			companyName: '=Albixe',
			timeZone: 'Europe/Moscow',
			month: '2026-11',
			status: 'closed',
			closedAt: '2026-12-05T00:00:00.000Z',
			current: { ...ZERO_FIGURES, turnoverKopecks: 123_456, netKopecks: -5 },
			late: [{ month: '2026-10', figures: late }],
			lateTotal: late,
			total: {
				...ZERO_FIGURES,
				turnoverKopecks: 123_456,
				accruedKopecks: 150,
				netKopecks: 145,
				campaignKopecks: 50,
				expiredKopecks: 7
			},
			payer: 'company',
			sha256: 'a'.repeat(64),
			pendingKopecks: 12_000,
			releasedKopecks: 3_000
		};
		const csv = statementCsv(statement, labels);
		const lines = csv.slice(1).split('\r\n');
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(lines[0]).toBe('Раздел;Операций;Оплат;Возвратов;Оборот;Нач;Стор;Спис;Возвр;Сальдо');
		expect(lines[1]).toBe('Операции за месяц 2026-11;0;0;0;1234,56;0,00;0,00;0,00;0,00;-0,05');
		expect(lines[2]).toBe('Поздние операции за месяц 2026-10;1;1;0;0,00;1,50;0,00;0,00;0,00;1,50');
		expect(lines[3]).toMatch(/^Итого поздних;1;/);
		expect(lines[4]).toMatch(/^Итого;0;0;0;1234,56;1,50;.*;1,45$/);
		// Issue 22: apart from the net, the pending figure frozen at the close.
		expect(lines.slice(5, 9)).toEqual([
			'По акциям;0,50',
			'Сгорело;0,07',
			'Ожидало при закрытии;120,00',
			'Стало доступно;30,00'
		]);
		expect(lines[9]).toBe('Кто кому платит;net 145');
		expect(lines[11]).toBe(`SHA-256;${'a'.repeat(64)}`);
	});

	it('leaves out the hold figures of a statement closed before them', () => {
		const statement: Statement = {
			companyId: 1,
			companyName: 'Shop',
			timeZone: 'Europe/Moscow',
			month: '2026-10',
			status: 'closed',
			closedAt: '2026-11-05T00:00:00.000Z',
			current: ZERO_FIGURES,
			late: [],
			lateTotal: ZERO_FIGURES,
			total: ZERO_FIGURES,
			payer: 'none',
			sha256: 'b'.repeat(64)
		};
		const csv = statementCsv(statement, labels);
		expect(csv).not.toContain('Ожидало');
		expect(csv).not.toContain('Стало доступно');
	});
});
