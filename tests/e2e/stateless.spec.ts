import { expect, test } from '@playwright/test';
import { hashPassword } from '../../server/auth/password';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { e2eSql } from './support/db';
import {
	startInstance,
	startRoundRobinProxy,
	type Instance,
	type Proxy
} from './support/instances';

/**
 * Kopek keeps no state in the process: two more instances of the build under test on the same
 * Postgres, behind a round-robin proxy, with counters syncing through it. Sessions, login
 * throttling and every operation (stored once, retried on the other instance) hold across
 * them. Needs Postgres: embedded PGlite belongs to one process.
 */
const sql = e2eSql();
test.skip(!sql, 'two processes share a database only on Postgres');
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const PASSWORD = 'stateless-pass-2026';
const COUNTERS = 4;
const ROUNDS = 8;
const BATCH = 5;
let instances: Instance[] = [];
let proxy: Proxy;
let companyId: number;
const cashiers: { email: string; deviceId: string }[] = [];

test.beforeAll(async () => {
	const url = process.env.E2E_DATABASE_URL!;
	instances = await Promise.all([startInstance(url), startInstance(url)]);
	proxy = await startRoundRobinProxy(instances.map((i) => i.port));
	const tag = Date.now().toString(36);
	const [company] = await sql!<{ id: number }[]>`
		insert into companies (name, status, email, inviter_partner_id)
		values (${`Два сервера ${tag}`}, 'active', ${`two-${tag}@example.test`}, 1) returning id`;
	companyId = company!.id;
	await sql!`insert into company_rates (company_id, rate_bp, effective_from)
		values (${companyId}, 500, '2000-01-01')`;
	const hash = await hashPassword(PASSWORD);
	for (let i = 0; i < COUNTERS; i++) {
		const email = `cashier-${i}-${tag}@example.test`;
		await sql!`insert into users (email, password_hash, role, company_id)
			values (${email}, ${hash}, 'company', ${companyId})`;
		const [device] = await sql!<{ id: string }[]>`
			insert into devices (company_id, name) values (${companyId}, ${`Касса ${i + 1}`}) returning id`;
		cashiers.push({ email, deviceId: device!.id });
	}
});

test.afterAll(async () => {
	await proxy?.stop();
	await Promise.all(instances.map((i) => i.stop()));
	await sql?.end();
});

async function logIn(email: string, password: string) {
	return fetch(`${proxy.url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: proxy.url,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password })
	});
}

async function sessionCookie(email: string): Promise<string> {
	const response = await logIn(email, PASSWORD);
	expect(response.status).toBe(303);
	const token = /kopek_session=([a-z2-7]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
	expect(token).toBeTruthy();
	return `kopek_session=${token}`;
}

async function me(cookie: string) {
	const response = await fetch(`${proxy.url}/api/trpc/auth.me`, { headers: { cookie } });
	const body = (await response.json()) as { result: { data: { json: { email: string } | null } } };
	return {
		upstream: response.headers.get('x-kopek-upstream'),
		email: body.result.data.json?.email
	};
}

async function sync(cookie: string, deviceId: string, operations: unknown[], base = proxy.url) {
	const response = await fetch(`${base}/api/trpc/payments.sync`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie, origin: base },
		body: JSON.stringify({ json: { deviceId, operations } })
	});
	expect(response.status).toBe(200);
	const body = (await response.json()) as { result: { data: { json: { outcome: string }[] } } };
	return body.result.data.json.map((o) => o.outcome);
}

function payments(count: number) {
	return Array.from({ length: count }, () => ({
		id: uuidv7(),
		customerId: '123455',
		amountKopecks: 100_00 + Math.floor(Math.random() * 10_000),
		occurredAt: new Date(Date.now() - 1000).toISOString()
	}));
}

test('a session made on one instance works on the other, and logout ends it on both', async () => {
	const cookie = await sessionCookie(cashiers[0]!.email);
	const answers = await Promise.all(Array.from({ length: 6 }, () => me(cookie)));
	expect(new Set(answers.map((a) => a.upstream))).toEqual(new Set(['0', '1']));
	for (const answer of answers) expect(answer.email).toBe(cashiers[0]!.email);

	const out = await fetch(`${proxy.url}/logout`, {
		method: 'POST',
		redirect: 'manual',
		headers: { cookie, origin: proxy.url }
	});
	expect(out.status).toBe(303);
	const after = await Promise.all([me(cookie), me(cookie)]);
	expect(new Set(after.map((a) => a.upstream))).toEqual(new Set(['0', '1']));
	for (const answer of after) expect(answer.email).toBeUndefined();
});

test('login throttling counts failures made on either instance', async () => {
	const email = cashiers[1]!.email;
	// Three free typos, spread over both instances by the proxy...
	for (let i = 0; i < 3; i++) expect((await logIn(email, 'wrong-password')).status).toBe(400);
	// ...then the next attempt, on whichever instance, must wait: even the right password.
	const throttled = await logIn(email, PASSWORD);
	expect(throttled.status).toBe(429);
});

test('counters syncing through both instances store every operation once', async () => {
	const sent: string[] = [];
	await Promise.all(
		cashiers.slice(2).map(async (cashier) => {
			const cookie = await sessionCookie(cashier.email);
			for (let round = 0; round < ROUNDS; round++) {
				const batch = payments(BATCH);
				sent.push(...batch.map((op) => op.id));
				expect(await sync(cookie, cashier.deviceId, batch)).toEqual(Array(BATCH).fill('accepted'));
				// A retry (the answer was lost), to whichever instance the proxy picks.
				expect(await sync(cookie, cashier.deviceId, batch)).toEqual(Array(BATCH).fill('duplicate'));
			}
		})
	);
	// The same batch to both instances at the same moment: one accepted, one duplicate, per ID.
	const cashier = cashiers[2]!;
	const cookie = await sessionCookie(cashier.email);
	const batch = payments(BATCH);
	sent.push(...batch.map((op) => op.id));
	const [a, b] = await Promise.all(
		instances.map((i) => sync(cookie, cashier.deviceId, batch, `http://127.0.0.1:${i.port}`))
	);
	for (let k = 0; k < BATCH; k++) expect([a![k], b![k]].sort()).toEqual(['accepted', 'duplicate']);

	const [stored] = await sql!<{ rows: number; ids: number }[]>`
		select count(*)::int as rows, count(distinct id)::int as ids from operations
		where company_id = ${companyId}`;
	expect(stored).toEqual({ rows: sent.length, ids: sent.length });
	expect(proxy.served[0]).toBeGreaterThan(10);
	expect(proxy.served[1]).toBeGreaterThan(10);
});
