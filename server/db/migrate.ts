import type { Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { migrations } from '../../migrations/index';

/** Brings the schema to the newest migration; throws with the failing migration's name. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
	const migrator = new Migrator({
		db,
		provider: { getMigrations: async () => migrations },
		// Parallel branches land migrations out of name order; each runs once, in name order
		// on a fresh database.
		allowUnorderedMigrations: true
	});
	const result: MigrationResultSet = await migrator.migrateToLatest();
	const applied = (result.results ?? [])
		.filter((r) => r.status === 'Success')
		.map((r) => r.migrationName);
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
	}
	return applied;
}

/** Names of the migrations this build knows that the database has not applied yet. */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
	const migrator = new Migrator({
		db,
		provider: { getMigrations: async () => migrations },
		allowUnorderedMigrations: true
	});
	const known = await migrator.getMigrations();
	return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
