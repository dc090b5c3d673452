import { describe, expect, it } from 'vitest';
import { allKeys, translate } from './index';

describe('message catalogue', () => {
	it('has every key in both languages', () => {
		const ru = new Set(allKeys('ru'));
		const en = new Set(allKeys('en'));
		expect([...ru].filter((k) => !en.has(k))).toEqual([]);
		expect([...en].filter((k) => !ru.has(k))).toEqual([]);
	});

	it('keeps the same placeholders in both languages', () => {
		for (const key of allKeys('ru')) {
			const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
			expect(names(translate('en', key)), key).toEqual(names(translate('ru', key)));
		}
	});

	it('fills placeholders and shows an unknown key as itself', () => {
		expect(translate('ru', 'login.throttled', { time: '5 мин' })).toBe(
			'Слишком много неудачных попыток. Повторите через 5 мин.'
		);
		expect(translate('en', 'no.such.key')).toBe('no.such.key');
	});

	// Issue 19: «кэшбэк 40,00 ₽ списан» read as paying with cashback and as a refund taking it
	// back. Paying with it is «оплачено кэшбэком», a refund's reversal «отменён»: two words.
	it('never uses «списан» for cashback: paying with it and reversing it have words of their own', () => {
		const ambiguous = allKeys('ru').filter((key) => /списан/i.test(translate('ru', key)));
		expect(ambiguous).toEqual([]);
		expect(translate('ru', 'clients.refund.done', { amount: '1,00 ₽', cashback: '0,10 ₽' })).toBe(
			'Возврат оформлен: 1,00 ₽, кэшбэк 0,10 ₽ отменён'
		);
		for (const key of ['clients.col.redeemed', 'me.col.redeemed', 'clients.totals.redeemed']) {
			expect(translate('ru', key), key).toMatch(/^Оплачено кэшбэком/);
		}
	});
});
