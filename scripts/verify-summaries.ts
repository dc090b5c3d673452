// npm run verify:summaries — recomputes the per-day summaries from the operations ledger and
// compares them with the stored ones, and checks every closed statement's SHA-256 against its
// content. Prints each difference; exits 1 when there is any, 0 when all agree.
import { getConfig } from '../server/config';
import { openDatabase } from '../server/db/index';
import { verifyStatementHashes, verifySummaries } from '../server/repositories/summaries-ledger';
import {
	verifyPendingCancellations,
	verifyStatementHolds
} from '../server/repositories/statement-holds';

async function main(): Promise<number> {
	const config = getConfig();
	const handle = await openDatabase({
		databaseUrl: config.DATABASE_URL,
		dataDir: config.KOPEK_DATA_DIR
	});
	try {
		const differences = await verifySummaries(handle.db);
		for (const d of differences) {
			console.log(
				`company ${d.companyId} day ${d.day} statement ${d.statementMonth.slice(0, 7)} ${d.column}: ` +
					`summaries ${d.summaries}, ledger ${d.ledger}`
			);
		}
		const badHashes = await verifyStatementHashes(handle.db);
		for (const s of badHashes) {
			console.log(
				`company ${s.companyId} statement ${s.month}: SHA-256 does not match its content`
			);
		}
		// Issue 22: each closed statement's frozen pending and released figures, recomputed from
		// the pending cashback and its kept cancellations (repositories/statement-holds.ts).
		const badHolds = await verifyStatementHolds(handle.db);
		for (const h of badHolds) {
			console.log(
				`company ${h.companyId} statement ${h.month}: pending frozen ${h.frozenPending}, ledger ` +
					`${h.ledgerPending}; released frozen ${h.frozenReleased}, ledger ${h.ledgerReleased}`
			);
		}
		const badCancellations = await verifyPendingCancellations(handle.db);
		for (const c of badCancellations) {
			console.log(
				`pending cashback ${c.operationId}: cancelled ${c.cancelled}, cancellations kept ${c.kept}`
			);
		}
		const ok =
			differences.length === 0 &&
			badHashes.length === 0 &&
			badHolds.length === 0 &&
			badCancellations.length === 0;
		console.log(
			ok
				? `${handle.kind} at ${handle.location}: summaries equal the ledger; statement hashes hold; ` +
						`frozen pending and released figures equal the ledger`
				: `${differences.length} difference(s), ${badHashes.length} bad statement hash(es), ` +
						`${badHolds.length} statement(s) with other hold figures, ` +
						`${badCancellations.length} pending row(s) with other cancellations`
		);
		return ok ? 0 : 1;
	} finally {
		await handle.close();
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(2);
	}
);
