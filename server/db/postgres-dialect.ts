import {
	CompiledQuery,
	PostgresDriver,
	type DatabaseConnection,
	type QueryResult,
	type TransactionSettings
} from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import type { ReservedSql, Sql } from 'postgres';

/**
 * Kysely on postgres.js, with Kopek's own driver (kysely-postgres-js 3.0 gives the dialect's
 * adapter, compiler and introspector). What it does differently, each measured or met:
 *
 * - **Prepared statements.** kysely-postgres-js runs every query through `sql.unsafe`, whose
 *   default is `prepare: false`: postgres.js then first sends Parse/Describe and waits for the
 *   parameter types, then Bind/Execute — two round trips for each statement with parameters,
 *   every time (strace of bench:fleet: 9 socket writes per sync call against the raw
 *   handler's 4). Here statements are prepared, named and kept per connection by postgres.js:
 *   after the first time, one round trip. (Behind PgBouncer in transaction mode, named
 *   statements need its `max_prepared_statements`.)
 * - **BEGIN pipelined.** A transaction's BEGIN goes out with its first statement (see
 *   beginTransaction): one round trip fewer per transaction.
 * - **Rollback of a dead connection.** kysely 0.29's Postgres driver marks a connection "for
 *   discard" when its ROLLBACK fails, by a private method this connection does not have: a
 *   transaction whose connection died (Postgres restarting) failed with "connection[…] is not
 *   a function", a 500 instead of a 503 (issue 7). Here the rollback fails with the
 *   connection's own error; postgres.js (guarded by scripts/patch-postgres.js) keeps such a
 *   connection out of the pool and reconnects.
 */
class PreparedConnection implements DatabaseConnection {
	/** The transaction's BEGIN still on its way (see KopekPostgresJSDriver.beginTransaction). */
	pendingBegin: Promise<unknown> | null = null;

	constructor(readonly reserved: ReservedSql) {}

	async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
		const begin = this.pendingBegin;
		this.pendingBegin = null;
		// Sent now (behind a pending BEGIN on the same connection: postgres.js pipelines them
		// in order); a BEGIN that failed fails this statement too.
		const running = this.reserved.unsafe(query.sql, [...query.parameters] as never[], {
			prepare: true
		});
		if (begin) {
			try {
				await begin;
			} catch (error) {
				running.catch(() => {});
				throw error;
			}
		}
		const result = await running;
		const { command, count } = result;
		return {
			numAffectedRows:
				command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE'
					? BigInt(count)
					: undefined,
			rows: Array.from(result.values()) as R[]
		};
	}

	async *streamQuery<R>(query: CompiledQuery, chunkSize: number) {
		const cursor = this.reserved
			.unsafe(query.sql, [...query.parameters] as never[], { prepare: true })
			.cursor(chunkSize);
		for await (const rows of cursor) yield { rows: rows as R[] };
	}
}

class KopekPostgresJSDriver extends PostgresDriver {
	readonly #sql: Sql;

	constructor(sql: Sql) {
		super({ pool: undefined as never });
		this.#sql = sql;
	}

	override async init(): Promise<void> {}

	override async acquireConnection(): Promise<DatabaseConnection> {
		return new PreparedConnection(await this.#sql.reserve());
	}

	override async releaseConnection(connection: DatabaseConnection): Promise<void> {
		(connection as PreparedConnection).reserved.release();
	}

	override async destroy(): Promise<void> {
		await this.#sql.end();
	}

	/**
	 * BEGIN without waiting for its answer: the transaction's first statement goes out with it.
	 * Its outcome is awaited before that statement's result is used, so an error still
	 * surfaces where the transaction runs, and Postgres runs the two in order either way.
	 */
	override async beginTransaction(
		connection: DatabaseConnection,
		settings: TransactionSettings
	): Promise<void> {
		if (settings.isolationLevel || settings.accessMode) {
			return super.beginTransaction(connection, settings);
		}
		const begin = connection.executeQuery(CompiledQuery.raw('begin'));
		begin.catch(() => {});
		(connection as PreparedConnection).pendingBegin = begin;
	}

	override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('rollback'));
	}
}

export class KopekPostgresJSDialect extends PostgresJSDialect {
	readonly #sql: Sql;

	constructor(config: { postgres: Sql }) {
		super(config);
		this.#sql = config.postgres;
	}

	override createDriver() {
		return new KopekPostgresJSDriver(this.#sql);
	}
}
