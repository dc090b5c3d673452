// .ci/run's till step (issue 20): starts Kopek (production build, demo data) on a throwaway
// Postgres database, creates an integration key for the demo company Albixe, and runs the till
// simulator against it — one sale paid partly with cashback (the customer's one-time code),
// one partial refund of it, a sale with receipt lines refunded by a line — then checks them in
// the company's own operations list.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/till/ci-smoke.ts
import { spawn, spawnSync } from 'node:child_process';
import postgres from 'postgres';

const SECRET_KEY = 'a29wZWstdGVzdC1rZXktbmV2ZXItcHJvZHVjdGlvbiE=';
process.env.KOPEK_SECRET_KEY = SECRET_KEY;
const base = process.env.DATABASE_URL;
if (!base) throw new Error('DATABASE_URL (a Postgres server) is required');
const port = Number(process.env.TILL_SMOKE_PORT ?? 3290);
const name = `kopek_till_${Date.now().toString(36)}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;

const { openDatabase } = await import('../../server/db/index');
const { createIntegrationKey } = await import('../../server/services/integration-keys');
const { ensureOtpSecret } = await import('../../server/repositories/otp-codes');
const { getSecretKey } = await import('../../server/crypto/keys');
const { otpCode } = await import('../../src/lib/domain/otp');
const { listPage } = await import('../../server/repositories/operations-list');

const server = spawn(process.execPath, ['scripts/start.js'], {
	env: {
		...process.env,
		DATABASE_URL: url.toString(),
		PORT: String(port),
		NODE_ENV: 'production',
		KOPEK_DEMO: '1',
		KOPEK_SECRET_KEY: SECRET_KEY
	},
	stdio: ['ignore', 'ignore', 'inherit']
});
let failed = false;
try {
	const started = Date.now();
	for (;;) {
		try {
			if ((await fetch(`http://localhost:${port}/readyz`)).ok) break;
		} catch {
			/* not yet */
		}
		if (Date.now() - started > 120_000) throw new Error('the server did not start');
		await new Promise((r) => setTimeout(r, 500));
	}
	const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '/nonexistent' });
	const db = handle.db;
	const albixe = await db
		.selectFrom('companies')
		.select('id')
		.where('name', '=', 'Albixe')
		.executeTakeFirstOrThrow();
	const key = await createIntegrationKey(db, {
		companyId: albixe.id,
		name: 'CI till',
		terminalId: null,
		userId: null
	});
	if (!key.ok) throw new Error('no key');
	const code = otpCode(await ensureOtpSecret(db, getSecretKey(), '123455'), Date.now());
	const till = (...args: string[]) => {
		const r = spawnSync('npx', ['tsx', 'scripts/till/cli.ts', ...args], {
			env: {
				...process.env,
				KOPEK_URL: `http://localhost:${port}`,
				KOPEK_API_KEY: key.key.secret
			},
			encoding: 'utf8'
		});
		if (r.status !== 0) throw new Error(`till ${args.join(' ')}: ${r.stdout}${r.stderr}`);
		return JSON.parse(r.stdout);
	};
	const sale = till(
		'sale',
		'--customer',
		'123455',
		'--total',
		'100000',
		'--code',
		code,
		'--redeem',
		'10000'
	);
	console.log('sale', sale.outcome, sale.operation.id, 'redeemed', sale.operation.redeemedKopecks);
	if (sale.outcome !== 'accepted' || sale.operation.redeemedKopecks !== 10000)
		throw new Error('the sale was not recorded with its redemption');
	const refund = till('refund', sale.operation.id, '--amount', '30000');
	console.log('refund', refund.refund.amountKopecks, 'remaining', refund.remainingKopecks);
	if (refund.remainingKopecks !== 70000) throw new Error('the partial refund is wrong');
	const list = await listPage(db, { companyId: albixe.id, period: { kind: 'day' }, limit: 20 });
	const payment = list.rows.find((r) => r.id === sale.operation.id);
	const refundRow = list.rows.find((r) => r.reversesId === sale.operation.id);
	if (!payment || payment.refundedKopecks !== 30000 || payment.redeemedKopecks !== 10000)
		throw new Error(`the company's list does not show the sale: ${JSON.stringify(payment)}`);
	if (!refundRow || refundRow.amountKopecks !== -30000 || refundRow.redeemedKopecks !== -3000)
		throw new Error(`the company's list does not show the refund: ${JSON.stringify(refundRow)}`);
	// A sale sent with its receipt lines, and a refund of one unit of its first line.
	const byLines = till('sale', '--customer', '123455', '--lines', 'Сыр:2:60000,Хлеб:1:40000');
	const lineRefund = till('refund', byLines.operation.id, '--lines', '1:1');
	console.log('refund by lines', lineRefund.refund.amountKopecks, lineRefund.lines);
	if (lineRefund.refund.amountKopecks !== -30000 || lineRefund.remainingKopecks !== 70000)
		throw new Error('the refund by lines is wrong');
	const after = await listPage(db, { companyId: albixe.id, period: { kind: 'day' }, limit: 20 });
	if (after.rows.find((r) => r.id === byLines.operation.id)?.refundedKopecks !== 30000)
		throw new Error('the company list does not show the refund by lines');
	console.log(
		'== till simulator: sale with redemption + partial refund, a refund by lines, in the company list'
	);
	await handle.close();
} catch (error) {
	failed = true;
	console.error(error);
} finally {
	server.kill('SIGTERM');
	await new Promise((r) => server.once('exit', r));
	await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await admin.end();
}
process.exit(failed ? 1 : 0);
