// Applies pending migrations to the configured database (DATABASE_URL, else the embedded one
// in KOPEK_DATA_DIR) and says which ran. The server does the same at every start.
import { getConfig } from '../server/config';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';

async function main() {
	const config = getConfig();
	const handle = await openDatabase({
		databaseUrl: config.DATABASE_URL,
		dataDir: config.KOPEK_DATA_DIR
	});
	try {
		const applied = await migrateToLatest(handle.db);
		console.log(
			`${handle.kind} at ${handle.location}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}`
		);
	} finally {
		await handle.close();
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
