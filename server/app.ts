import { getConfig, type Config } from './config';
import {
	DEMO_ACCOUNTS,
	DEMO_PASSWORD,
	hasDemoAccounts,
	isDatabaseEmpty,
	seedDemo
} from './db/demo';
import { demoPairingCode, DEMO_CASHIERS } from './db/demo-terminals';
import { openDatabase, type DatabaseHandle } from './db/index';
import { migrateToLatest } from './db/migrate';
import { startStatementClosing } from './services/statement-closing';
import { startWebhooks } from './services/webhook-start';
import { startExpiryJob } from './services/expiry';
import { loadSecretKey } from './crypto/secret-key';
import { ensureOperationPartitions } from './db/partitions';
import { prune as pruneIdempotency } from './repositories/api-idempotency';
import { hasOperator } from './repositories/user-accounts';

export interface Services extends DatabaseHandle {
	config: Config;
}

let services: Promise<Services> | undefined;

/**
 * The process's database, opened, migrated and (for a demo) seeded once. The first call starts
 * it; every later call shares the same promise.
 */
export function getServices(): Promise<Services> {
	services ??= startServices(getConfig())
		.then((started) => {
			if (started.config.KOPEK_STATEMENT_AUTOCLOSE) {
				startStatementClosing(started.db, started.config);
			}
			startWebhooks(started);
			// Issue 22: expired balances, daily; safe with several processes (services/expiry.ts).
			startExpiryJob(started.db);
			// A graceful stop (scripts/start.js) closes the pool after the last request.
			process.once('sveltekit:shutdown', () => started.close());
			return started;
		})
		.catch((error) => {
			services = undefined;
			throw error;
		});
	return services;
}

/**
 * Opens the configured database, migrates it, and seeds the demo world when that is wanted
 * (embedded database, or KOPEK_DEMO=1) and the database is empty.
 */
export async function startServices(
	config: Config,
	log: (message: string) => void = defaultLog
): Promise<Services> {
	// The key for secrets at rest: refuse to start without one where it must be configured.
	loadSecretKey(config);
	const handle = await openDatabase({
		databaseUrl: config.DATABASE_URL,
		dataDir: config.KOPEK_DATA_DIR
	});
	const applied = await migrateToLatest(handle.db);
	log(
		`database: ${handle.kind} at ${handle.location}; migrations applied now: ${applied.length ? applied.join(', ') : 'none'}`
	);

	await keepPartitionsAhead(handle, log);

	const demoWanted = config.KOPEK_DEMO ?? handle.kind === 'pglite';
	if (demoWanted && (await isDatabaseEmpty(handle.db))) {
		await seedDemo(handle.db, new Date(), { holdDays: config.KOPEK_DEMO_HOLD_DAYS });
		log('demo data created');
	}
	if (demoWanted && (await hasDemoAccounts(handle.db))) {
		log(`demo accounts (password ${DEMO_PASSWORD}):`);
		for (const account of DEMO_ACCOUNTS) log(`  ${account.email.padEnd(24)} ${account.what}`);
		const code = await demoPairingCode(handle.db);
		if (code) {
			const cashiers = DEMO_CASHIERS.map(
				(c) => `«${c.name}» PIN ${c.pin}${c.refundPin ? ` (refund PIN ${c.refundPin})` : ''}`
			).join(', ');
			log(`demo terminal: open /pair and enter ${code} (valid 15 min); cashiers ${cashiers}`);
		}
	}
	if (!(await hasOperator(handle.db))) {
		log(
			'no operator account yet: create the first with `npm run kopek -- operator create --email <e-mail>`'
		);
	}
	return { ...handle, config };
}

const DAY_MS = 24 * 3600 * 1000;
/** How long the till API keeps a POST's answer under its Idempotency-Key. */
const IDEMPOTENCY_DAYS = 7;

/**
 * The yearly partitions of `operations` are made ahead at start-up and checked again daily
 * while the process runs (server/db/partitions.ts); `npm run partitions` does the same by hand.
 */
async function keepPartitionsAhead(handle: DatabaseHandle, log: (message: string) => void) {
	const run = async () => {
		const report = await ensureOperationPartitions(handle.db);
		if (report.created.length) log(`partitions created: ${report.created.join(', ')}`);
		for (const m of report.moved)
			log(`partitions: ${m.rows} stray row(s) moved from operations_default into ${m.partition}`);
		if (report.skipped.length)
			log(
				`partitions left to the default (it holds rows of their range): ${report.skipped.join(', ')}`
			);
	};
	await run();
	setInterval(() => {
		run().catch((error: unknown) => log(`partitions: ${String(error)}`));
		// The till API's stored answers (issue 20): a till retries within minutes, not weeks.
		pruneIdempotency(handle.db, IDEMPOTENCY_DAYS).catch((error: unknown) =>
			log(`api idempotency: ${String(error)}`)
		);
	}, DAY_MS).unref();
}

function defaultLog(message: string) {
	console.log(`[kopek] ${message}`);
}
