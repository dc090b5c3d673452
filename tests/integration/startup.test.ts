import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { startServices } from '../../server/app';
import { getConfig } from '../../server/config';
import { DEMO_PASSWORD } from '../../server/db/demo';
import { logIn } from '../../server/auth/login';
import { computeCashback } from '../../src/lib/domain/money';

const quiet = () => {};

describe('start-up on the embedded database', () => {
	it('migrates, seeds the demo once, and keeps the data across a restart', async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), 'kopek-startup-'));
		try {
			const config = getConfig({ KOPEK_DATA_DIR: dataDir, NODE_ENV: 'test' });
			const first = await startServices(config, quiet);
			expect(first.kind).toBe('pglite');
			const login = await logIn(first.db, {
				email: 'company@kopek.local',
				password: DEMO_PASSWORD,
				ip: '127.0.0.1'
			});
			expect(login.ok).toBe(true);
			const companies = await first.db
				.selectFrom('companies')
				.select(['name', 'status', 'time_zone'])
				.orderBy('id')
				.execute();
			expect(companies).toEqual([
				{ name: 'Albixe', status: 'active', time_zone: 'Europe/Moscow' },
				{ name: 'Ромашка', status: 'pending', time_zone: 'Europe/Moscow' }
			]);
			const customers = await first.db
				.selectFrom('customers')
				.select(['id', 'name'])
				.orderBy('id')
				.execute();
			expect(customers.map((c) => c.id)).toEqual(['123455', '246801', '765438']);
			const operations = await first.db.selectFrom('operations').selectAll().execute();
			expect(operations.length).toBeGreaterThan(20);
			for (const op of operations)
				expect(op.cashback_kopecks).toBe(computeCashback(op.amount_kopecks, op.rate_bp));
			const partner = await first.db.selectFrom('partners').selectAll().executeTakeFirstOrThrow();
			expect(partner.licenses_available).toBe(100);
			const ledger = await first.db
				.selectFrom('license_ledger')
				.select((eb) => eb.fn.sum<number>('delta').as('sum'))
				.executeTakeFirstOrThrow();
			expect(Number(ledger.sum)).toBe(100); // the balance is the ledger's sum
			await first.db
				.insertInto('customers')
				.values({ id: '100008', name: 'Новый Клиент' })
				.execute();
			await first.close();

			const second = await startServices(config, quiet);
			const again = await second.db
				.selectFrom('customers')
				.select('id')
				.where('id', '=', '100008')
				.executeTakeFirst();
			expect(again).toEqual({ id: '100008' });
			const companyCount = await second.db
				.selectFrom('companies')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			expect(Number(companyCount.n)).toBe(2); // not seeded twice
			await second.close();
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});

describe.runIf(process.env.DATABASE_URL)('start-up on Postgres', () => {
	async function withFreshDatabase(run: (url: string) => Promise<void>) {
		const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
		const name = `kopek_startup_${Date.now().toString(36)}`;
		await admin.unsafe(`CREATE DATABASE ${name}`);
		const url = new URL(process.env.DATABASE_URL!);
		url.pathname = `/${name}`;
		try {
			await run(url.toString());
		} finally {
			await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await admin.end();
		}
	}

	it('migrates and seeds nothing unless KOPEK_DEMO=1', async () => {
		await withFreshDatabase(async (url) => {
			const services = await startServices(
				getConfig({ DATABASE_URL: url, NODE_ENV: 'test' }),
				quiet
			);
			expect(services.kind).toBe('postgres');
			const users = await services.db.selectFrom('users').selectAll().execute();
			expect(users).toEqual([]);
			await services.close();

			const demo = await startServices(
				getConfig({ DATABASE_URL: url, KOPEK_DEMO: '1', NODE_ENV: 'test' }),
				quiet
			);
			const seeded = await demo.db.selectFrom('users').select('email').orderBy('email').execute();
			expect(seeded.map((u) => u.email)).toContain('company@kopek.local');
			await demo.close();
		});
	});
});
