// Makes the yearly partitions of `operations` from this year to YEARS_AHEAD ahead on the
// configured database (DATABASE_URL, else the embedded one) and says what it did. The server
// does the same at start and daily; run this from cron when servers are seldom restarted.
import { getConfig } from '../server/config';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { ensureOperationPartitions, YEARS_AHEAD } from '../server/db/partitions';

async function main() {
	const config = getConfig();
	const handle = await openDatabase({
		databaseUrl: config.DATABASE_URL,
		dataDir: config.KOPEK_DATA_DIR
	});
	try {
		await migrateToLatest(handle.db);
		const report = await ensureOperationPartitions(handle.db);
		console.log(
			`${handle.kind} at ${handle.location}: partitions up to ${YEARS_AHEAD} year(s) ahead; created ${report.created.join(', ') || 'none'}` +
				(report.moved.length
					? `; stray rows moved: ${report.moved.map((m) => `${m.rows} into ${m.partition}`).join(', ')}`
					: '') +
				(report.skipped.length ? `; left to the default: ${report.skipped.join(', ')}` : '')
		);
	} finally {
		await handle.close();
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
