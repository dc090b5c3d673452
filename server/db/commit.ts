import type { CompiledQuery, DatabaseConnection, QueryResult, Transaction } from 'kysely';
import type { Database } from './types';

/** A connection that can send a transaction's last statement with its COMMIT (postgres-dialect.ts). */
export interface CommittingConnection {
	executeThenCommit<R>(query: CompiledQuery): Promise<QueryResult<R>>;
}

function commits(
	connection: DatabaseConnection
): connection is DatabaseConnection & CommittingConnection {
	return typeof (connection as Partial<CommittingConnection>).executeThenCommit === 'function';
}

/**
 * Runs a transaction's last statement. On Kopek's Postgres driver its COMMIT goes out in the
 * same write (no round trip and no wait for the event loop between the statement's row locks
 * and their release); elsewhere (PGlite) the transaction commits when its callback returns, as
 * always. Nothing may run in the transaction after it (the driver refuses).
 */
export async function executeThenCommit<R>(
	trx: Transaction<Database>,
	query: CompiledQuery<R>
): Promise<QueryResult<R>> {
	return trx
		.getExecutor()
		.provideConnection((connection) =>
			commits(connection)
				? connection.executeThenCommit<R>(query)
				: connection.executeQuery<R>(query)
		);
}
