import { describe, expect, it } from 'vitest';
import { TERMINAL_STATE_HEADER } from '../../src/lib/domain/terminal-state';
import { stampTerminalState } from './terminal-state';

const terminal = { deviceId: 'd', companyId: 1, name: 'Касса' };

describe('the revoked-terminal signal (issue 19)', () => {
	it('marks every answer to a revoked terminal, and only those', () => {
		const revoked = { ...terminal, revoked: { at: new Date(), mode: 'accept_before' as const } };
		expect(stampTerminalState(new Response('{}'), revoked).headers.get(TERMINAL_STATE_HEADER)).toBe(
			'revoked'
		);
		const redirect = stampTerminalState(Response.redirect('http://localhost/', 303), revoked);
		expect(redirect.headers.get(TERMINAL_STATE_HEADER)).toBe('revoked');
		expect(
			stampTerminalState(new Response('{}'), { ...terminal, revoked: null }).headers.has(
				TERMINAL_STATE_HEADER
			)
		).toBe(false);
		expect(stampTerminalState(new Response('{}'), null).headers.has(TERMINAL_STATE_HEADER)).toBe(
			false
		);
	});
});
