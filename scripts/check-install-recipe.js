// Runs the README's production recipe ("Running on a real Postgres") the way a person pastes
// it, on a throwaway database of the local Postgres, and checks that it ends with an operator
// who can log in: `npm run check:install`, part of .ci/run.
//
// The lines run verbatim in one bash, in order, with these differences only:
//   - `npm ci` is skipped (CI has just run it on this clone);
//   - the database is kopek_recipe_<time> instead of `kopek` (in `createdb` and DATABASE_URL),
//     created by the recipe itself and dropped here afterwards; the server is never restarted;
//   - the operator's password is piped into `npm run kopek -- operator create` (as a terminal
//     would ask for it), and `npm start` listens on a free port.
// Then it logs in as that operator through the login form (HTTP) and opens the operator's
// cabinet; and it checks that a start without KOPEK_SECRET_KEY stops with one clear line.
// Postgres: PGHOST/PGUSER (default 127.0.0.1, postgres) for createdb and the final drop.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = '<!-- install-recipe -->';
const PASSWORD = 'recipe-check-Пароль-2026';
const database = `kopek_recipe_${Date.now().toString(36)}`;
const pgHost = process.env.PGHOST ?? '127.0.0.1';
const pgUser = process.env.PGUSER ?? 'postgres';

function fail(message) {
	console.error(`[check-install] FAILED: ${message}`);
	process.exitCode = 1;
	throw new Error(message);
}

/** The shell lines of the fenced block that follows the marker in README.md. */
function recipeLines(readme) {
	const at = readme.indexOf(MARKER);
	if (at < 0) throw new Error(`README.md has no ${MARKER} before the production recipe`);
	const block = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(at));
	if (!block) throw new Error('no ```sh block after the recipe marker');
	return block[1].split('\n').filter((line) => line.trim() !== '');
}

/** The recipe as one bash script for the throwaway database; see the header for the changes. */
function adapt(lines, port) {
	let createdb = false;
	let url = false;
	let email;
	const out = ['set -euo pipefail'];
	for (const line of lines) {
		let run = line;
		if (/^npm ci\b/.test(line)) {
			out.push(`echo '# skipped: ${line}'`);
			continue;
		}
		if (/^createdb\s+kopek\b/.test(line)) {
			run = line.replace(/^createdb\s+kopek\b/, `createdb ${database}`);
			createdb = true;
		}
		if (/DATABASE_URL=\S*\/kopek\b/.test(line)) {
			run = run.replace(/(DATABASE_URL=\S*\/)kopek\b/, `$1${database}`);
			url = true;
		}
		const create = /^npm run kopek -- operator create --email (\S+)/.exec(line);
		if (create) {
			email = create[1];
			run = `${run} <<< "$RECIPE_PASSWORD"`;
		}
		if (/^npm start\b/.test(line)) run = `PORT=${port} exec ${run}`;
		out.push(`echo '$ ${line.replaceAll("'", "'\\''")}'`, run);
	}
	if (!createdb || !url || !email || !out.some((l) => l.includes('exec npm start'))) {
		throw new Error(
			'the recipe no longer has `createdb kopek`, DATABASE_URL=…/kopek, `npm run kopek -- operator create --email …` and `npm start`: update scripts/check-install-recipe.js with it'
		);
	}
	return { script: out.join('\n'), email };
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/** A clean shell's environment: nothing of Kopek's configuration leaks in from this one. */
function cleanEnv(extra) {
	const env = { ...process.env, PGHOST: pgHost, PGUSER: pgUser, ...extra };
	for (const name of Object.keys(env)) {
		if (/^(KOPEK_|DATABASE_URL$|PORT$|NODE_ENV$|ORIGIN$|E2E_)/.test(name)) delete env[name];
	}
	return { ...env, ...extra };
}

async function waitFor(url, child, log, ms) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) fail(`the recipe ended (exit ${child.exitCode}):\n${log()}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	fail(`${url} did not answer within ${ms / 1000} s:\n${log()}`);
}

/** Logs in through the login form as a browser does and opens the operator's cabinet. */
async function logInAndOpenCabinet(base, email) {
	const form = new URLSearchParams({ email, password: PASSWORD });
	const login = await fetch(`${base}/login`, {
		method: 'POST',
		body: form,
		headers: {
			origin: base,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		redirect: 'manual'
	});
	const cookie = (login.headers.getSetCookie?.() ?? [])
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('kopek_session='));
	if (login.status !== 303 || !cookie) {
		fail(`login as ${email} answered ${login.status} without a session: ${await login.text()}`);
	}
	if (login.headers.get('location') !== '/operator') {
		fail(`login sent ${email} to ${login.headers.get('location')}, not /operator`);
	}
	const cabinet = await fetch(`${base}/operator`, { headers: { cookie }, redirect: 'manual' });
	const html = await cabinet.text();
	if (cabinet.status !== 200 || !html.includes('Обзор платформы')) {
		fail(`/operator answered ${cabinet.status} without the platform overview`);
	}
	console.log(`[check-install] ${email} logged in; /operator answers the platform overview`);
}

/** A production start on Postgres without KOPEK_SECRET_KEY: one line, no stack trace. */
async function checkMissingKey(databaseUrl, port) {
	const child = spawn(process.execPath, ['scripts/start.js'], {
		cwd: root,
		env: cleanEnv({ DATABASE_URL: databaseUrl, PORT: String(port) }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (out += d));
	const code = await new Promise((resolve) => child.on('close', resolve));
	const lines = out.trim().split('\n');
	if (
		code !== 1 ||
		lines.length !== 1 ||
		!/KOPEK_SECRET_KEY.*openssl rand -base64 32/.test(lines[0])
	) {
		fail(`a start without KOPEK_SECRET_KEY should stop with one line (exit ${code}):\n${out}`);
	}
	console.log(`[check-install] without KOPEK_SECRET_KEY: ${lines[0]}`);
}

async function main() {
	const started = Date.now();
	const port = await freePort();
	const { script, email } = adapt(
		recipeLines(readFileSync(path.join(root, 'README.md'), 'utf8')),
		port
	);
	const dataDir = mkdtempSync(path.join(tmpdir(), 'kopek-recipe-'));
	const admin = postgres(`postgres://${pgUser}@${pgHost}:5432/postgres`, {
		max: 1,
		onnotice: () => {}
	});
	console.log(`[check-install] the README's recipe on database ${database}, port ${port}`);
	const recipe = spawn('bash', ['-c', script], {
		cwd: root,
		env: cleanEnv({ RECIPE_PASSWORD: PASSWORD, KOPEK_DATA_DIR: dataDir }),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	let log = '';
	recipe.stdout.on('data', (d) => (log += d));
	recipe.stderr.on('data', (d) => (log += d));
	try {
		await waitFor(`http://localhost:${port}/login`, recipe, () => log, 150_000);
		for (const line of log.split('\n')) if (/^(\$|# skipped)/.test(line)) console.log(`  ${line}`);
		await logInAndOpenCabinet(`http://localhost:${port}`, email);
		const url = `postgres://${pgUser}@${pgHost}:5432/${database}`;
		await checkMissingKey(url, await freePort());
		console.log(`[check-install] passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	} catch (error) {
		if (!process.exitCode) console.error(`[check-install] FAILED: ${error?.message ?? error}`);
		process.exitCode = 1;
		console.error(`--- the recipe's output ---\n${log}`);
	} finally {
		if (recipe.exitCode === null) {
			process.kill(-recipe.pid, 'SIGTERM');
			await new Promise((resolve) => recipe.once('close', resolve));
		}
		await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
		await admin.end();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

await main();
