import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as passwordReset from '../../migrations/0014_password_reset';
import { useTestDatabase } from './support/db';

/**
 * 0014_password_reset widens the rate_events scope CHECK from the constraint in place (so a
 * scope another migration added survives it) and narrows it back on down.
 */
const t = useTestDatabase();

async function scopeAccepted(scope: string): Promise<boolean> {
	try {
		await sql`insert into rate_events (scope, subject) values (${scope}, 'probe')`.execute(t.db);
		await sql`delete from rate_events where subject = 'probe'`.execute(t.db);
		return true;
	} catch {
		return false;
	}
}

describe('0014_password_reset', () => {
	it('adds the reset scopes to those already allowed, and takes only them away again', async () => {
		// a scope some other migration added before this one ran
		await passwordReset.down(t.db as never);
		await sql`alter table rate_events drop constraint rate_events_scope_check`.execute(t.db);
		await sql`alter table rate_events add constraint rate_events_scope_check
			check (scope in ('customer_lookup', 'customer_signup', 'company_registration', 'other_scope'))`.execute(
			t.db
		);
		expect(await scopeAccepted('password_reset_email')).toBe(false);

		await passwordReset.up(t.db as never);
		for (const scope of [
			'customer_lookup',
			'customer_signup',
			'company_registration',
			'other_scope',
			'password_reset_address',
			'password_reset_email'
		]) {
			expect(await scopeAccepted(scope), scope).toBe(true);
		}
		expect(await scopeAccepted('made_up')).toBe(false);

		await passwordReset.down(t.db as never);
		expect(await scopeAccepted('password_reset_address')).toBe(false);
		expect(await scopeAccepted('other_scope')).toBe(true);
		await passwordReset.up(t.db as never);
	});
});
