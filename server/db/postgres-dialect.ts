import {
	CompiledQuery,
	type DatabaseConnection,
	type QueryResult,
	type TransactionSettings
} from 'kysely';
import { PostgresJSDialect, PostgresJSDriver } from 'kysely-postgres-js';

type DialectConfig = ConstructorParameters<typeof PostgresJSDialect>[0];

/**
 * kysely 0.29's Postgres driver marks a connection "for discard" when its ROLLBACK fails, by
 * a private method kysely-postgres-js 3.0's connection does not have: a transaction whose
 * connection died (Postgres restarting) then failed with "connection[…] is not a function",
 * a 500 instead of a 503 (issue 7). The rollback of a dead connection fails with the
 * connection's own error here; postgres.js (guarded by scripts/patch-postgres.js) keeps such a
 * connection out of the pool and reconnects.
 */
class KopekPostgresJSDriver extends PostgresJSDriver {
	/** A transaction's BEGIN still on its way, by connection (see beginTransaction). */
	readonly #pendingBegin = new WeakMap<DatabaseConnection, Promise<unknown>>();

	override async acquireConnection() {
		const connection = await super.acquireConnection();
		const execute = connection.executeQuery.bind(connection);
		connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
			const begin = this.#pendingBegin.get(connection);
			if (!begin) return execute(query);
			this.#pendingBegin.delete(connection);
			// Sent now, behind the BEGIN on the same connection (postgres.js pipelines them in
			// order, in one write); a BEGIN that failed fails the statement too.
			const result = execute<R>(query);
			try {
				await begin;
			} catch (error) {
				result.catch(() => {});
				throw error;
			}
			return result;
		};
		return connection;
	}

	/**
	 * BEGIN without waiting for its answer: the transaction's first statement goes out with it,
	 * one round trip instead of two (a sync call made six; bench:fleet counts each). Its
	 * outcome is awaited before that statement's result is used, so an error still surfaces
	 * where the transaction runs, and Postgres runs the two in order either way.
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
		this.#pendingBegin.set(connection, begin);
	}

	override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('rollback'));
	}
}

export class KopekPostgresJSDialect extends PostgresJSDialect {
	readonly #config: DialectConfig;

	constructor(config: DialectConfig) {
		super(config);
		this.#config = config;
	}

	override createDriver() {
		return new KopekPostgresJSDriver(this.#config);
	}
}
