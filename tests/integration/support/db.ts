import { sql, type Kysely } from 'kysely';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openDatabase } from '../../../server/db/index';
import { migrateToLatest } from '../../../server/db/migrate';
import type { Database } from '../../../server/db/types';

export interface TestDatabase {
	db: Kysely<Database>;
	kind: 'postgres' | 'pglite';
	/** The connection string (Postgres only), for tests that run a script against it. */
	url?: string;
	close(): Promise<void>;
}

/** Which database createTestDatabase makes: Postgres when DATABASE_URL is set (non-empty), PGlite when not. */
function testDatabaseKind(): TestDatabase['kind'] {
	return process.env.DATABASE_URL ? 'postgres' : 'pglite';
}

/**
 * A fresh, migrated (unless `migrate: false`), empty database for one test file: a new database on the server of
 * DATABASE_URL (dropped again by close), or an in-memory PGlite when DATABASE_URL is unset.
 */
export async function createTestDatabase(
	options: { migrate?: boolean } = {}
): Promise<TestDatabase> {
	const migrate = options.migrate ?? true;
	const baseUrl = process.env.DATABASE_URL;
	if (!baseUrl) {
		const handle = await openDatabase({ dataDir: 'memory://' });
		if (migrate) await migrateToLatest(handle.db);
		return { db: handle.db, kind: 'pglite', close: () => handle.close() };
	}
	const name = `kopek_it_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`CREATE DATABASE ${name}`);
	const url = new URL(baseUrl);
	url.pathname = `/${name}`;
	const handle = await openDatabase({
		databaseUrl: url.toString(),
		dataDir: '',
		maxConnections: 20
	});
	if (migrate) await migrateToLatest(handle.db);
	return {
		db: handle.db,
		kind: 'postgres',
		url: url.toString(),
		async close() {
			await handle.close();
			await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await admin.end();
		}
	};
}

/**
 * The database of one test file (or of the describe block it is called in): created before its tests,
 * closed after them, and (with `truncate`) emptied before each test. Vitest runs beforeAll and beforeEach
 * hooks in the order they are registered (and after-hooks in reverse), so called before the file's own
 * hooks, the database exists and is empty by the time they run, and is closed after its afterAll.
 * `kind` is known at once, so that collection-time code (`it.skipIf(t.kind === 'pglite')`) can use it;
 * `db`, `url` and `close` only from beforeAll on.
 */
export function useTestDatabase(
	options: { migrate?: boolean; truncate?: boolean } = {}
): TestDatabase {
	let created: TestDatabase | undefined;
	const current = (what: string): TestDatabase => {
		if (!created)
			throw new Error(
				`useTestDatabase: t.${what} used before the database exists (it is created in beforeAll) or after it was closed`
			);
		return created;
	};
	beforeAll(async () => {
		created = await createTestDatabase({ migrate: options.migrate });
	});
	afterAll(async () => {
		const closing = created;
		created = undefined;
		await closing?.close();
	});
	if (options.truncate) {
		beforeEach(async () => {
			await truncateAll(current('db').db);
		});
	}
	return {
		kind: testDatabaseKind(),
		get db() {
			return current('db').db;
		},
		get url() {
			return current('url').url;
		},
		async close() {
			const closing = current('close');
			created = undefined;
			await closing.close();
		}
	};
}

/** Empties every table, keeping the schema (faster than a new database between tests). */
export async function truncateAll(db: Kysely<Database>): Promise<void> {
	await sql`TRUNCATE rate_events, statements, statement_books, company_day_summaries, operations, devices, company_documents, company_rates, license_ledger,
		login_attempts, pairing_attempts, sessions, users, customers, companies, partners RESTART IDENTITY CASCADE`.execute(
		db
	);
}
