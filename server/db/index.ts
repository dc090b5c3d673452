import { Kysely } from 'kysely';
import path from 'node:path';
import type { Database } from './types';
import { assertPostgresGuarded } from './postgres-guard';
import { describeDatabase, parseDatabaseUrl } from './url';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
	db: Kysely<Database>;
	kind: DatabaseKind;
	/** Where it lives, without credentials: a data directory or host/database. */
	location: string;
	close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * int8 and numeric come back as JS numbers from both drivers. Every such value in Kopek is
 * an integer count of kopecks (or a count of rows) far below 2^53; a value that is not
 * safely representable is a broken invariant and throws instead of silently rounding.
 */
function parseSafeNumber(text: string): number {
	const n = Number(text);
	if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
		throw new RangeError(`Database number ${text} exceeds the safe integer range`);
	}
	return n;
}

/**
 * Opens Postgres through postgres.js when `databaseUrl` is given, else the embedded PGlite
 * persisted in `dataDir`. The rest of the server sees one Kysely instance either way.
 */
export async function openDatabase(options: {
	databaseUrl?: string;
	dataDir: string;
	maxConnections?: number;
	/** Longest a single statement may run (0 = no limit: migrations, benchmarks). */
	statementTimeoutMs?: number;
}): Promise<DatabaseHandle> {
	if (options.databaseUrl) {
		// Several hosts (a Patroni cluster): postgres.js tries them in turn and, with
		// target_session_attrs=read-write, keeps only a connection to the primary; a connection
		// the old primary closed (killed, or demoted by a switchover) is dropped and the next one
		// looks for the new primary. Meanwhile calls fail as unavailable: 503 + Retry-After.
		const address = parseDatabaseUrl(options.databaseUrl);
		assertPostgresGuarded();
		const { default: postgres } = await import('postgres');
		const { KopekPostgresJSDialect } = await import('./postgres-dialect');
		const sqlClient = postgres(options.databaseUrl, {
			max: options.maxConnections ?? 10,
			onnotice: () => {},
			// postgres.js 3.4 decides `read-write` by default_transaction_read_only, which a
			// Postgres 14+ standby reports as `off`: it would keep a connection to a replica and
			// fail every write. `primary` checks in_hot_standby, which is what read-write means for
			// a Patroni cluster (found by scripts/ha/failover.ts).
			...(address.targetSessionAttrs === 'read-write' ? { target_session_attrs: 'primary' } : {}),
			// Every request answers within ~10 s whatever Postgres does (issue 7): a connection
			// attempt gives up after 5 s, a statement after 8 s, and a transaction left idle (a
			// request that died half-way) is ended by Postgres after 10 s, releasing its locks.
			connect_timeout: 5,
			idle_timeout: 60,
			connection: {
				statement_timeout: options.statementTimeoutMs ?? 8000,
				idle_in_transaction_session_timeout: 10_000
			},
			types: {
				kopekNumber: {
					to: INT8_OID,
					from: [INT8_OID, NUMERIC_OID],
					serialize: (value: number | bigint | string) => String(value),
					parse: parseSafeNumber
				}
			}
		});
		return {
			db: new Kysely<Database>({ dialect: new KopekPostgresJSDialect({ postgres: sqlClient }) }),
			kind: 'postgres',
			location: describeDatabase(options.databaseUrl),
			async close() {
				await sqlClient.end({ timeout: 5 });
			}
		};
	}

	const { PGlite, types } = await import('@electric-sql/pglite');
	const { PGliteDialect } = await import('kysely-pglite-dialect');
	const dataDir = options.dataDir === 'memory://' ? 'memory://' : path.resolve(options.dataDir);
	const pglite = await PGlite.create(dataDir, {
		parsers: { [types.INT8]: parseSafeNumber, [types.NUMERIC]: parseSafeNumber }
	});
	const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
	return {
		db,
		kind: 'pglite',
		location: dataDir,
		async close() {
			await db.destroy();
		}
	};
}
