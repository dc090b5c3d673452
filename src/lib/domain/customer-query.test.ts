import { describe, expect, it } from 'vitest';
import { readCustomerQuery } from './customer-query';

describe('step 1 reads an ID or a phone', () => {
	it('six digits are a customer ID, spaces ignored', () => {
		expect(readCustomerQuery('123455')).toEqual({ ok: true, kind: 'id', id: '123455' });
		expect(readCustomerQuery(' 123 455 ')).toEqual({ ok: true, kind: 'id', id: '123455' });
	});

	it.each(['+7 911 111-11-11', '8 (911) 111-11-11', '89111111111', '911-111-1111', '+79111111111'])(
		'%s is the phone +79111111111',
		(typed) => {
			expect(readCustomerQuery(typed)).toEqual({ ok: true, kind: 'phone', phone: '+79111111111' });
		}
	);

	it('anything else keeps the ID’s errors', () => {
		expect(readCustomerQuery('')).toEqual({ ok: false, error: 'empty' });
		expect(readCustomerQuery('123456')).toEqual({ ok: false, error: 'checksum' });
		expect(readCustomerQuery('12a')).toEqual({ ok: false, error: 'format' });
		expect(readCustomerQuery('+1 202 555 0100')).toEqual({ ok: false, error: 'format' });
	});
});
