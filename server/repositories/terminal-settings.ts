import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** What a terminal needs of its company to work offline: name, status, rate now, idle lock. */
export async function getTerminalCompany(db: Db, companyId: number, now = new Date()) {
	return db
		.selectFrom('companies')
		.select([
			'id',
			'name',
			'status',
			'time_zone as timeZone',
			'terminal_idle_seconds as idleSeconds'
		])
		.select((eb) =>
			eb
				.selectFrom('company_rates')
				.select('rate_bp')
				.whereRef('company_rates.company_id', '=', 'companies.id')
				.where('effective_from', '<=', now)
				.orderBy('effective_from', 'desc')
				.limit(1)
				.as('rateBp')
		)
		.where('id', '=', companyId)
		.executeTakeFirstOrThrow();
}

export async function setIdleSeconds(db: Db, companyId: number, seconds: number): Promise<void> {
	await db
		.updateTable('companies')
		.set({ terminal_idle_seconds: seconds })
		.where('id', '=', companyId)
		.execute();
}

export async function getIdleSeconds(db: Db, companyId: number): Promise<number> {
	const row = await db
		.selectFrom('companies')
		.select('terminal_idle_seconds')
		.where('id', '=', companyId)
		.executeTakeFirstOrThrow();
	return row.terminal_idle_seconds;
}
