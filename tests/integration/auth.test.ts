import { describe, expect, it } from 'vitest';
import { changePassword, logIn } from '../../server/auth/login';
import {
	createSession,
	invalidateSession,
	SESSION_ABSOLUTE_MS,
	SESSION_IDLE_MS,
	sessionIdFromToken,
	validateSessionToken
} from '../../server/auth/session';
import { MAX_FAILURES_PER_ACCOUNT_HOUR, recordLoginAttempt } from '../../server/auth/throttle';
import { useTestDatabase } from './support/db';
import { FIXTURE_PASSWORD, insertCompany, insertUser } from './support/fixtures';

const t = useTestDatabase({ truncate: true });

async function companyUser() {
	const companyId = await insertCompany(t.db);
	return insertUser(t.db, 'company', { companyId });
}

describe('login', () => {
	it('opens a session for the right password and stores only the token hash', async () => {
		const user = await companyUser();
		const outcome = await logIn(t.db, {
			email: user.email.toUpperCase(),
			password: FIXTURE_PASSWORD,
			ip: '10.0.0.1'
		});
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		expect(outcome.token.length).toBeGreaterThanOrEqual(26); // ≥ 128 bits in base32
		const rows = await t.db.selectFrom('sessions').select('id').execute();
		expect(rows).toEqual([{ id: sessionIdFromToken(outcome.token) }]);
		expect(rows[0]!.id).not.toContain(outcome.token);
		const validated = await validateSessionToken(t.db, outcome.token);
		expect(validated?.user.email).toBe(user.email);
	});

	it('refuses a wrong password and an unknown account alike', async () => {
		const user = await companyUser();
		expect(
			await logIn(t.db, { email: user.email, password: 'wrong-password', ip: '10.0.0.1' })
		).toEqual({
			ok: false,
			error: 'invalid_credentials'
		});
		expect(
			await logIn(t.db, { email: 'nobody@example.test', password: 'whatever-pass', ip: '10.0.0.1' })
		).toEqual({
			ok: false,
			error: 'invalid_credentials'
		});
		expect(await t.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
	});

	it('throttles an account after repeated failures, even with the right password then', async () => {
		const user = await companyUser();
		const outcomes = [];
		for (let i = 0; i < 4; i++) {
			outcomes.push(
				await logIn(t.db, { email: user.email, password: `wrong-${i}-password`, ip: '10.0.0.2' })
			);
		}
		// three free typos; the third failure starts a growing delay, so the fourth try is not even checked
		expect(outcomes.map((o) => (o.ok ? 'ok' : o.error))).toEqual([
			'invalid_credentials',
			'invalid_credentials',
			'invalid_credentials',
			'throttled'
		]);
		const blocked = await logIn(t.db, {
			email: user.email,
			password: FIXTURE_PASSWORD,
			ip: '10.0.0.3'
		});
		expect(blocked.ok).toBe(false);
		if (blocked.ok) return;
		expect(blocked.error).toBe('throttled');
		if (blocked.error === 'throttled') expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
		expect(await t.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
	});

	it('locks an account for the hour after the hourly cap of failures', async () => {
		const user = await companyUser();
		const longAgo = new Date(Date.now() - 50 * 60 * 1000);
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_HOUR; i++) {
			await recordLoginAttempt(t.db, user.email, `10.1.${i % 200}.1`, false, longAgo);
		}
		const outcome = await logIn(t.db, {
			email: user.email,
			password: FIXTURE_PASSWORD,
			ip: '10.0.0.9'
		});
		expect(outcome.ok).toBe(false);
		if (!outcome.ok && outcome.error === 'throttled') {
			// the oldest failure was 50 minutes ago: about 10 minutes remain
			expect(outcome.retryAfterSeconds).toBeGreaterThan(9 * 60);
			expect(outcome.retryAfterSeconds).toBeLessThanOrEqual(10 * 60);
		} else {
			throw new Error(`expected throttled, got ${JSON.stringify(outcome)}`);
		}
	});

	it('forgets old failures: a success resets the growing delay', async () => {
		const user = await companyUser();
		const past = new Date(Date.now() - 40 * 60 * 1000);
		for (let i = 0; i < 5; i++) await recordLoginAttempt(t.db, user.email, '10.0.0.4', false, past);
		await recordLoginAttempt(t.db, user.email, '10.0.0.4', true, new Date(past.getTime() + 1000));
		const outcome = await logIn(t.db, {
			email: user.email,
			password: FIXTURE_PASSWORD,
			ip: '10.0.0.4'
		});
		expect(outcome.ok).toBe(true);
	});
});

describe('sessions', () => {
	it('logout deletes the session server-side: the token is dead afterwards', async () => {
		const user = await companyUser();
		const { token } = await createSession(t.db, user.id);
		const valid = await validateSessionToken(t.db, token);
		expect(valid).not.toBeNull();
		await invalidateSession(t.db, valid!.session.id);
		expect(await validateSessionToken(t.db, token)).toBeNull();
	});

	it('slides the expiry on use but never past the absolute cap', async () => {
		const user = await companyUser();
		const start = new Date('2026-01-01T00:00:00Z');
		const { token } = await createSession(t.db, user.id, {}, start);
		// used 20 days later: less than the renewal threshold is left, so it slides
		const later = new Date(start.getTime() + 20 * 86400_000);
		const slid = await validateSessionToken(t.db, token, later);
		expect(slid!.session.expiresAt.getTime()).toBe(later.getTime() + SESSION_IDLE_MS);
		// keep using it: it is still capped by the absolute expiry
		let now = later;
		for (let i = 0; i < 6; i++) {
			now = new Date(now.getTime() + 20 * 86400_000);
			const v = await validateSessionToken(t.db, token, now);
			if (now.getTime() >= start.getTime() + SESSION_ABSOLUTE_MS) {
				expect(v).toBeNull();
				return;
			}
			expect(v!.session.expiresAt.getTime()).toBeLessThanOrEqual(
				start.getTime() + SESSION_ABSOLUTE_MS
			);
		}
		throw new Error('absolute cap never reached');
	});

	it('an idle session expires and is deleted', async () => {
		const user = await companyUser();
		const start = new Date('2026-01-01T00:00:00Z');
		const { token } = await createSession(t.db, user.id, {}, start);
		expect(
			await validateSessionToken(t.db, token, new Date(start.getTime() + SESSION_IDLE_MS + 1))
		).toBeNull();
		expect(await t.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
	});

	it('refuses malformed and unknown tokens', async () => {
		expect(await validateSessionToken(t.db, '')).toBeNull();
		expect(await validateSessionToken(t.db, "x' or 1=1 --")).toBeNull();
		expect(await validateSessionToken(t.db, 'abcdefghijklmnopqrstuvwxyz234567')).toBeNull();
	});
});

describe('password change', () => {
	it('needs the current password and ends every other session of the user', async () => {
		const user = await companyUser();
		const other = await insertUser(t.db, 'operator');
		const a = await createSession(t.db, user.id);
		const b = await createSession(t.db, user.id);
		const c = await createSession(t.db, other.id);
		const current = sessionIdFromToken(a.token);

		expect(
			await changePassword(t.db, {
				userId: user.id,
				currentSessionId: current,
				currentPassword: 'not-my-password',
				newPassword: 'новый пароль 2026'
			})
		).toEqual({ ok: false, error: 'wrong_current_password' });
		expect(await validateSessionToken(t.db, b.token)).not.toBeNull();

		expect(
			await changePassword(t.db, {
				userId: user.id,
				currentSessionId: current,
				currentPassword: FIXTURE_PASSWORD,
				newPassword: 'новый пароль 2026'
			})
		).toEqual({ ok: true });
		expect(await validateSessionToken(t.db, a.token)).not.toBeNull();
		expect(await validateSessionToken(t.db, b.token)).toBeNull();
		expect(await validateSessionToken(t.db, c.token)).not.toBeNull();

		const login = await logIn(t.db, {
			email: user.email,
			password: 'новый пароль 2026',
			ip: '10.0.0.5'
		});
		expect(login.ok).toBe(true);
		const old = await logIn(t.db, {
			email: user.email,
			password: FIXTURE_PASSWORD,
			ip: '10.0.0.5'
		});
		expect(old.ok).toBe(false);
	});
});
