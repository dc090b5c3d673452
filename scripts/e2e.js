// Runs the Playwright suite against the production build:
//   1. checks that Debian's Chromium is there (no browser can be downloaded here);
//   2. builds the app (when its sources changed since the last build);
//   3. starts it on a fresh database with demo data: a new database on the server of
//      DATABASE_URL when set, else embedded PGlite in a temporary directory;
//      mail is written to files in a temporary KOPEK_MAIL_DIR;
//   4. runs `playwright test` (extra arguments are passed through), then stops and cleans up.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
	console.error(
		`Chromium not found at ${chromium}: install it with "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH).`
	);
	process.exit(1);
}

const run = (cmd, args, env = process.env) => {
	const result = spawnSync(cmd, args, { stdio: 'inherit', env });
	if (result.status !== 0) process.exit(result.status ?? 1);
};

const port = Number(process.env.E2E_PORT ?? 3100);
// A build directory per port, so parallel runs never overwrite each other's build.
if (port !== 3100) process.env.KOPEK_BUILD_DIR ??= `build-e2e-${port}`;
// tsconfig.json extends .svelte-kit/tsconfig.json: a named build on a fresh clone (no
// .svelte-kit yet) fails to write its service worker without it.
if (!existsSync('.svelte-kit/tsconfig.json')) {
	const env = { ...process.env };
	delete env.KOPEK_BUILD_DIR;
	run('npx', ['svelte-kit', 'sync'], env);
}
// Builds only when the sources changed since this directory's last build (scripts/build.js).
if (process.env.E2E_SKIP_BUILD !== '1') run(process.execPath, ['scripts/build.js']);

const baseUrl = `http://localhost:${port}`;
const serverEnv = {
	...process.env,
	PORT: String(port),
	NODE_ENV: 'production',
	// a fixed key for throwaway test databases only (production on Postgres requires one)
	KOPEK_SECRET_KEY: process.env.KOPEK_SECRET_KEY ?? 'a29wZWstdGVzdC1rZXktbmV2ZXItcHJvZHVjdGlvbiE=',
	KOPEK_DEMO: '1',
	// Test-only faults (server/testing/faults.ts): a browser test poisons one operation.
	KOPEK_TEST_FAULTS: '1',
	// The suite pays the same demo customers hundreds of times within the hour: the per-hour and
	// per-day review rules would hold most of it. review-queue.spec breaches the near-limit rule.
	KOPEK_REVIEW_PAYMENTS_PER_HOUR: '100000',
	KOPEK_REVIEW_ACTOR_PAYMENTS_PER_DAY: '100000',
	// Specs credit cashback and spend it at once: the demo's hold period (14 days) is off;
	// levers.spec sets one through the operator's rules and restores it.
	KOPEK_DEMO_HOLD_DAYS: '0',
	// The statements spec closes last month itself; an automatic close would race it.
	KOPEK_STATEMENT_AUTOCLOSE: '0',
	// webhooks.spec's receiver listens on 127.0.0.1 (the SSRF guard refuses it otherwise)
	KOPEK_WEBHOOKS_ALLOW_PRIVATE: '1'
};
// Mail goes to files here (no SMTP_URL), on PGlite and Postgres alike: the password reset
// spec reads its link from them.
const mailDir = mkdtempSync(path.join(tmpdir(), 'kopek-e2e-mail-'));
serverEnv.KOPEK_MAIL_DIR = mailDir;
delete serverEnv.SMTP_URL;
let dropDatabase = async () => {};
let dataDir;
if (process.env.DATABASE_URL) {
	const { default: postgres } = await import('postgres');
	const name = `kopek_e2e_${Date.now().toString(36)}`;
	const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
	await admin.unsafe(`CREATE DATABASE ${name}`);
	const url = new URL(process.env.DATABASE_URL);
	url.pathname = `/${name}`;
	serverEnv.DATABASE_URL = url.toString();
	serverEnv.E2E_DATABASE_URL = url.toString();
	dropDatabase = async () => {
		await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		await admin.end();
	};
} else {
	dataDir = mkdtempSync(path.join(tmpdir(), 'kopek-e2e-'));
	delete serverEnv.DATABASE_URL;
	serverEnv.KOPEK_DATA_DIR = dataDir;
}

const server = spawn('node', ['scripts/start.js'], {
	env: serverEnv,
	stdio: ['ignore', 'pipe', 'pipe']
});
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

async function waitForServer() {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (server.exitCode !== null) break;
		try {
			const res = await fetch(`${baseUrl}/login`);
			if (res.ok) return;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	console.error(`The app did not start on ${baseUrl}:\n${serverLog}`);
	throw new Error('server did not start');
}

let status = 1;
try {
	await waitForServer();
	// A results directory per port too, so parallel runs keep their own traces and screenshots.
	const output = port === 3100 ? [] : [`--output=test-results/e2e-${port}`];
	const result = spawnSync('npx', ['playwright', 'test', ...output, ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...serverEnv, E2E_BASE_URL: baseUrl, CHROMIUM_PATH: chromium }
	});
	status = result.status ?? 1;
	if (status !== 0 && process.env.E2E_SHOW_SERVER_LOG !== '0') {
		console.error(`--- server log (last 4000 chars) ---\n${serverLog.slice(-4000)}`);
	}
} finally {
	server.kill('SIGTERM');
	await new Promise((r) => setTimeout(r, 500));
	await dropDatabase();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	rmSync(mailDir, { recursive: true, force: true });
}
process.exit(status);
