import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logIn } from '../../server/auth/login';
import { startServices } from '../../server/app';
import { ConfigError, getConfig } from '../../server/config';
import { createOperator } from '../../server/services/operator-accounts';
import { useTestDatabase } from './support/db';
import { insertCompany, insertUser } from './support/fixtures';

const t = useTestDatabase({ truncate: true });

describe('createOperator (the service behind `npm run kopek -- operator create`)', () => {
	it('creates an operator who can log in, with the e-mail in its canonical form', async () => {
		const created = await createOperator(t.db, {
			email: '  Boss@Shop.Example ',
			password: 'correct horse battery'
		});
		expect(created).toMatchObject({ ok: true, email: 'boss@shop.example' });
		const user = await t.db
			.selectFrom('users')
			.select(['email', 'role', 'password_hash'])
			.executeTakeFirstOrThrow();
		expect(user).toMatchObject({ email: 'boss@shop.example', role: 'operator' });
		expect(user.password_hash).toMatch(/^\$argon2id\$/);
		const login = await logIn(t.db, {
			email: 'boss@shop.example',
			password: 'correct horse battery',
			ip: '127.0.0.1'
		});
		expect(login).toMatchObject({ ok: true, role: 'operator' });
	});

	it('applies the password policy of sign-up and the e-mail rules', async () => {
		expect(await createOperator(t.db, { email: 'a@shop.example', password: 'short' })).toEqual({
			ok: false,
			problems: [{ field: 'password', error: 'too_short' }]
		});
		expect(await createOperator(t.db, { email: 'a@shop.example', password: 'password' })).toEqual({
			ok: false,
			problems: [{ field: 'password', error: 'common' }]
		});
		expect(await createOperator(t.db, { email: 'bossboss@x.ru', password: 'BossBoss' })).toEqual({
			ok: false,
			problems: [{ field: 'password', error: 'contains_email' }]
		});
		expect(
			await createOperator(t.db, { email: 'not-an-email', password: 'long enough 1' })
		).toEqual({ ok: false, problems: [{ field: 'email', error: 'format' }] });
		expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);
	});

	it('refuses an e-mail that already has an account and leaves that account alone', async () => {
		const companyId = await insertCompany(t.db);
		const owner = await insertUser(t.db, 'company', { companyId });
		const before = await t.db.selectFrom('users').selectAll().execute();
		const refused = await createOperator(t.db, {
			email: owner.email.toUpperCase(),
			password: 'correct horse battery'
		});
		expect(refused).toEqual({
			ok: false,
			problems: [{ field: 'email', error: 'taken', role: 'company', email: owner.email }]
		});
		expect(await t.db.selectFrom('users').selectAll().execute()).toEqual(before);
	});
});

describe('the start of an install without an operator', () => {
	const dirs: string[] = [];
	afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

	it('says in the log how to create the first operator, until there is one', async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), 'kopek-first-operator-'));
		dirs.push(dataDir);
		const config = getConfig({ KOPEK_DATA_DIR: dataDir, KOPEK_DEMO: '0', NODE_ENV: 'test' });
		const lines: string[] = [];
		const first = await startServices(config, (line) => lines.push(line));
		expect(lines.join('\n')).toContain('npm run kopek -- operator create --email');
		await createOperator(first.db, { email: 'boss@shop.example', password: 'long enough 1' });
		await first.close();
		lines.length = 0;
		const second = await startServices(config, (line) => lines.push(line));
		await second.close();
		expect(lines.join('\n')).not.toContain('operator create');
	});

	it('refuses a bad environment with one line per problem, naming the variable and not its value', () => {
		let error: unknown;
		try {
			getConfig({ PORT: 'abc', DATABASE_URL: 'mysql://root:hunter22@db/kopek' });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const problems = (error as ConfigError).problems;
		expect(problems).toHaveLength(2);
		expect(problems.join('\n')).toMatch(/^configuration error: DATABASE_URL: must be a postgres/m);
		expect(problems.join('\n')).toMatch(/^configuration error: PORT: /m);
		expect((error as Error).message).not.toContain('hunter22');
	});
});

/** Runs the CLI as a person would (through tsx), the password piped into it. */
function kopek(args: string[], input: string, env: Record<string, string>) {
	const cli = spawn(
		process.execPath,
		['node_modules/tsx/dist/cli.mjs', 'scripts/kopek.ts', ...args],
		{
			env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
			stdio: ['pipe', 'pipe', 'pipe']
		}
	);
	let out = '';
	cli.stdout.on('data', (chunk) => (out += chunk));
	cli.stderr.on('data', (chunk) => (out += chunk));
	cli.stdin.end(input);
	return new Promise<{ code: number | null; out: string }>((resolve) =>
		cli.on('close', (code) => resolve({ code, out }))
	);
}

// Each run starts tsx and an embedded database: seconds each, many more on a busy machine.
describe('npm run kopek -- operator create', { timeout: 180_000 }, () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'kopek-cli-'));
	const env = { KOPEK_DATA_DIR: dataDir };
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	it('creates the first operator on a fresh database from a piped password', async () => {
		const created = await kopek(
			['operator', 'create', '--email', 'Boss@Shop.example'],
			'correct horse battery\n',
			env
		);
		expect(created).toMatchObject({ code: 0 });
		expect(created.out).toContain('operator boss@shop.example created');
	});

	it('refuses an existing e-mail and a weak password clearly, with exit code 1', async () => {
		const taken = await kopek(
			['operator', 'create', '--email', 'boss@shop.example'],
			'another long password\n',
			env
		);
		expect(taken.code).toBe(1);
		expect(taken.out).toContain(
			'an account with the e-mail boss@shop.example already exists (role operator); nothing was changed'
		);
		const weak = await kopek(
			['operator', 'create', '--email', 'x@shop.example'],
			'qwerty12\n',
			env
		);
		expect(weak).toEqual({ code: 1, out: '[kopek] This password is too common\n' });
	});

	it('answers wrong usage with exit code 2 and a bad configuration with 3, in one line', async () => {
		const usage = await kopek(['operator', 'create'], '', env);
		expect(usage.code).toBe(2);
		expect(usage.out).toContain('usage: npm run kopek -- operator create --email <e-mail>');
		const config = await kopek(['operator', 'create', '--email', 'y@shop.example'], 'x\n', {
			...env,
			DATABASE_URL: 'mysql://localhost/kopek'
		});
		expect(config.code).toBe(3);
		expect(config.out.trim().split('\n')).toEqual([
			'[kopek] configuration error: DATABASE_URL: must be a postgres:// URL, e.g. postgres://kopek@127.0.0.1:5432/kopek, or for a cluster postgres://kopek@h1:5432,h2:5432/kopek?target_session_attrs=read-write'
		]);
	});
});
