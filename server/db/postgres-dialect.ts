import { CompiledQuery, type DatabaseConnection } from 'kysely';
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
