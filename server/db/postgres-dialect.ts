import {
	CompiledQuery,
	PostgresDriver,
	type DatabaseConnection,
	type QueryResult,
	type TransactionSettings
} from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import type { ReservedSql, Sql } from 'postgres';
import type { CommittingConnection } from './commit';

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
 * - **COMMIT pipelined, on request.** `executeThenCommit` sends a transaction's last statement
 *   and its COMMIT together (the sync's INSERT): another round trip fewer, and row locks
 *   released as soon as Postgres is done.
 * - **Rollback of a dead connection.** kysely 0.29's Postgres driver marks a connection "for
 *   discard" when its ROLLBACK fails, by a private method this connection does not have: a
 *   transaction whose connection died (Postgres restarting) failed with "connection[…] is not
 *   a function", a 500 instead of a 503 (issue 7). Here the rollback fails with the
 *   connection's own error; postgres.js (guarded by scripts/patch-postgres.js) keeps such a
 *   connection out of the pool and reconnects.
 */
function toQueryResult<R>(result: {
	command: string;
	count: number;
	values(): Iterable<unknown>;
}): QueryResult<R> {
	const { command, count } = result;
	return {
		numAffectedRows:
			command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE'
				? BigInt(count)
				: undefined,
		rows: Array.from(result.values()) as R[]
	};
}

class PreparedConnection implements DatabaseConnection, CommittingConnection {
	/** The transaction's BEGIN still on its way (see KopekPostgresJSDriver.beginTransaction). */
	pendingBegin: Promise<unknown> | null = null;
	/** The transaction's COMMIT, already sent with its last statement (see executeThenCommit). */
	sentCommit: Promise<unknown> | null = null;

	constructor(readonly reserved: ReservedSql) {}

	/**
	 * Sends a statement now. A postgres.js query goes out when first awaited: started here, so a
	 * pending BEGIN and whatever follows in the same tick share one socket write.
	 */
	#send(query: CompiledQuery) {
		if (this.sentCommit) throw new Error('a statement after the transaction was committed');
		const begin = this.pendingBegin;
		this.pendingBegin = null;
		const running = this.reserved.unsafe(query.sql, [...query.parameters] as never[], {
			prepare: true
		});
		running.catch(() => {});
		return { begin, running };
	}

	async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
		const { begin, running } = this.#send(query);
		// A BEGIN that failed fails this statement too.
		if (begin) await begin;
		return toQueryResult<R>(await running);
	}

	/**
	 * The transaction's last statement with its COMMIT in the same write: no round trip, and no
	 * wait for this process's event loop, between the statement's row locks and their release.
	 * A failed statement's transaction is ended by that COMMIT (Postgres answers it as a
	 * ROLLBACK), and the statement's error is thrown; a failed COMMIT throws its own.
	 */
	async executeThenCommit<R>(query: CompiledQuery): Promise<QueryResult<R>> {
		const { begin, running } = this.#send(query);
		const commit = this.reserved.unsafe('commit');
		commit.catch(() => {});
		this.sentCommit = commit;
		if (begin) await begin;
		const result = await running;
		await commit;
		return toQueryResult<R>(result);
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

	override async commitTransaction(connection: DatabaseConnection): Promise<void> {
		const sent = (connection as PreparedConnection).sentCommit;
		(connection as PreparedConnection).sentCommit = null;
		if (sent) await sent;
		else await connection.executeQuery(CompiledQuery.raw('commit'));
	}

	override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		// A COMMIT already sent ended the transaction: committed, or (its statement failed)
		// rolled back by Postgres. Nothing is left to roll back.
		const sent = (connection as PreparedConnection).sentCommit;
		(connection as PreparedConnection).sentCommit = null;
		if (sent) return;
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
