import { sql, type Kysely } from 'kysely';
import { computeCashback } from '../../src/lib/domain/money';
import { hashPassword } from '../auth/password';
import { contentHash } from '../repositories/operations';
import { rebuildCompanySummaries } from '../repositories/summaries-ledger';
import { seedDemoRedemption } from './demo-redemption';
import { demoPaymentTimes } from './demo-operations';
import { seedDemoCashiers } from './demo-terminals';
import type { Database } from './types';

export const DEMO_PASSWORD = 'kopek-demo-2026';

export const DEMO_ACCOUNTS = [
	{ role: 'operator', email: 'operator@kopek.local', what: 'оператор платформы' },
	{ role: 'partner', email: 'partner@kopek.local', what: 'партнёр ID 1 «Kopek», 100 лицензий' },
	{ role: 'company', email: 'company@kopek.local', what: 'компания «Albixe», активна, 10 %' },
	{ role: 'company', email: 'pending@kopek.local', what: 'компания «Ромашка», ждёт проверки' },
	{ role: 'customer', email: 'customer@kopek.local', what: 'клиент «Иванов Иван», ID 123455' }
] as const;

/** A one-page PDF standing in for the pending demo company's charter. */
const DEMO_DOCUMENT = new TextEncoder().encode(
	'%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
		'2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
		'3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n' +
		'trailer << /Root 1 0 R >>\n%%EOF\n'
);

const DEMO_CUSTOMERS = [
	{ id: '123455', name: 'Иванов Иван', phone: '+79111111111' },
	{ id: '765438', name: 'Петрова Мария', phone: '+79222222222' },
	{ id: '246801', name: 'Сидоров Пётр', phone: '+79333333333' }
];

/** True when nothing has ever been written: no user and no company. */
export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
	const row = await sql<{ users: number; companies: number }>`
		select (select count(*) from users) as users, (select count(*) from companies) as companies`.execute(
		db
	);
	const counts = row.rows[0];
	return !!counts && Number(counts.users) === 0 && Number(counts.companies) === 0;
}

/** Whether the demo operator exists: only then are the demo accounts worth printing. */
export async function hasDemoAccounts(db: Kysely<Database>): Promise<boolean> {
	const row = await db
		.selectFrom('users')
		.select('id')
		.where('email', '=', DEMO_ACCOUNTS[0].email)
		.executeTakeFirst();
	return row !== undefined;
}

/** Deterministic generator so the demo looks the same on every fresh start. */
function mulberry32(seed: number) {
	let a = seed;
	return () => {
		a |= 0;
		a = (a + 0x6d2b79f5) | 0;
		let r = Math.imul(a ^ (a >>> 15), 1 | a);
		r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
		return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Seeds the demo world of the README in one transaction. The caller decides whether seeding is
 * allowed (empty database, embedded or KOPEK_DEMO=1); this refuses a non-empty database anyway.
 */
export async function seedDemo(
	db: Kysely<Database>,
	now = new Date(),
	options: { holdDays?: number } = {}
): Promise<boolean> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	return db.transaction().execute(async (trx) => {
		if (!(await isDatabaseEmpty(trx))) return false;

		await trx
			.insertInto('partners')
			.values({ id: 1, name: 'Kopek', licenses_available: 100 })
			.execute();
		await trx
			.insertInto('users')
			.values([
				{ email: 'operator@kopek.local', password_hash: passwordHash, role: 'operator' },
				{
					email: 'partner@kopek.local',
					password_hash: passwordHash,
					role: 'partner',
					partner_id: 1
				}
			])
			.execute();
		const operator = await trx
			.selectFrom('users')
			.select('id')
			.where('email', '=', 'operator@kopek.local')
			.executeTakeFirstOrThrow();

		const twoYearsAgo = new Date(now.getTime() - 2 * 365 * 24 * 3600 * 1000);
		const albixe = await trx
			.insertInto('companies')
			.values({
				name: 'Albixe',
				status: 'active',
				city: 'Казань',
				country: 'Россия',
				region: 'Республика Татарстан',
				email: 'company@kopek.local',
				phone: '+79111111111',
				time_zone: 'Europe/Moscow',
				inviter_partner_id: 1,
				approved_at: twoYearsAgo,
				created_at: twoYearsAgo
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const pending = await trx
			.insertInto('companies')
			.values({
				name: 'Ромашка',
				city: 'Самара',
				email: 'pending@kopek.local',
				phone: '+79444444444',
				inviter_partner_id: 1
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		// Ромашка waits with a document, so the operator can check and approve it in the demo.
		await trx
			.insertInto('company_documents')
			.values({
				company_id: pending.id,
				file_name: 'Устав ООО Ромашка.pdf',
				content_type: 'application/pdf',
				size_bytes: DEMO_DOCUMENT.byteLength,
				content: DEMO_DOCUMENT
			})
			.execute();
		await trx
			.insertInto('license_ledger')
			.values([
				{
					partner_id: 1,
					delta: 102,
					reason: 'grant',
					created_by: operator.id,
					note: 'Демо-данные'
				},
				{ partner_id: 1, delta: -1, reason: 'company_registration', company_id: albixe.id },
				{ partner_id: 1, delta: -1, reason: 'company_registration', company_id: pending.id }
			])
			.execute();
		await trx
			.insertInto('users')
			.values([
				{
					email: 'company@kopek.local',
					password_hash: passwordHash,
					role: 'company',
					company_id: albixe.id
				},
				{
					email: 'pending@kopek.local',
					password_hash: passwordHash,
					role: 'company',
					company_id: pending.id
				}
			])
			.execute();
		await trx
			.insertInto('company_rates')
			.values({
				company_id: albixe.id,
				rate_bp: 1000,
				effective_from: twoYearsAgo,
				created_by: operator.id
			})
			.execute();
		const device = await trx
			.insertInto('devices')
			.values({ company_id: albixe.id, name: 'Касса 1', last_sync_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();

		await trx.insertInto('customers').values(DEMO_CUSTOMERS).execute();
		await trx
			.insertInto('users')
			.values({
				email: 'customer@kopek.local',
				password_hash: passwordHash,
				role: 'customer',
				customer_id: '123455'
			})
			.execute();

		// About three months of counter life, today and every day of this month included.
		const random = mulberry32(20260101);
		const rows = [];
		for (const occurredAt of demoPaymentTimes(now, 'Europe/Moscow', random)) {
			const customer = DEMO_CUSTOMERS[Math.floor(random() * DEMO_CUSTOMERS.length)]!;
			const amountKopecks = (Math.floor(random() * 500) + 1) * 100 + Math.floor(random() * 100);
			const id = crypto.randomUUID();
			rows.push({
				id,
				company_id: albixe.id,
				device_id: device.id,
				customer_id: customer.id,
				amount_kopecks: amountKopecks,
				rate_bp: 1000,
				cashback_kopecks: computeCashback(amountKopecks, 1000),
				occurred_at: occurredAt,
				recorded_at: occurredAt,
				content_hash: contentHash({
					companyId: albixe.id,
					deviceId: device.id,
					customerId: customer.id,
					amountKopecks,
					occurredAt
				})
			});
		}
		if (rows.length > 0) await trx.insertInto('operations').values(rows).execute();
		await seedDemoRedemption(trx, { companyId: albixe.id, from: twoYearsAgo, by: operator.id });
		await rebuildCompanySummaries(trx, albixe.id);
		await seedDemoCashiers(trx, albixe.id);
		// The program's rules (issue 22): cashback of new payments waits out the return window.
		await trx
			.insertInto('program_rules')
			.values({
				hold_days: options.holdDays ?? 14,
				expiry_months: 0,
				effective_from: now,
				created_by: operator.id
			})
			.execute();
		return true;
	});
}
