// The operator's command line: `npm run kopek -- <command>`.
//
//   operator create --email <e-mail>   creates an operator account (the first of a real
//                                      install): the password is asked at the terminal, twice,
//                                      without echo, or read as the first line of stdin.
//
// It works on the configured database (DATABASE_URL, else the embedded one in KOPEK_DATA_DIR)
// and applies pending migrations first, so it may run before the first `npm start`.
// Exit codes: 0 done; 1 refused (the message says why, nothing changed); 2 wrong usage;
// 3 the configuration or the database is not usable.
import { parseArgs } from 'node:util';
import { ConfigError, getConfig } from '../server/config';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { createOperator, type NewOperatorProblem } from '../server/services/operator-accounts';
import { translate } from '../src/lib/i18n';
import { promptSecret, readPipedSecret, SecretAborted } from './read-secret';

const USAGE = `usage: npm run kopek -- operator create --email <e-mail>
  The password is asked at the terminal (twice, not shown), or read from stdin when piped:
  printf '%s\\n' "$PASSWORD" | npm run kopek -- operator create --email <e-mail>`;

class Exit extends Error {
	constructor(
		readonly code: number,
		message: string
	) {
		super(message);
	}
}

function problemText(problem: NewOperatorProblem): string {
	if (problem.field === 'email' && problem.error === 'taken') {
		return `an account with the e-mail ${problem.email} already exists (role ${problem.role}); nothing was changed`;
	}
	return translate('en', `operator.error.${problem.field}.${problem.error}`);
}

async function askPassword(): Promise<string> {
	if (!process.stdin.isTTY) return readPipedSecret();
	const first = await promptSecret('Password for the new operator: ');
	const again = await promptSecret('The same password again: ');
	if (first !== again) throw new Exit(1, 'the two passwords differ; nothing was changed');
	return first;
}

async function operatorCreate(args: string[]) {
	const { values, positionals } = parseArgs({
		args,
		options: { email: { type: 'string' } },
		allowPositionals: true
	});
	if (positionals.length > 0 || !values.email) throw new Exit(2, USAGE);
	const config = getConfig();
	const password = await askPassword();

	let handle;
	try {
		handle = await openDatabase({
			databaseUrl: config.DATABASE_URL,
			dataDir: config.KOPEK_DATA_DIR
		});
		await migrateToLatest(handle.db);
	} catch (error) {
		await handle?.close();
		const where = handle ? `${handle.kind} at ${handle.location}` : 'the database';
		throw new Exit(3, `cannot use ${where}: ${(error as Error).message}`);
	}
	try {
		const created = await createOperator(handle.db, { email: values.email, password });
		if (!created.ok) {
			throw new Exit(1, created.problems.map(problemText).join('\n'));
		}
		console.log(
			`[kopek] operator ${created.email} created (${handle.kind} at ${handle.location}); sign in at /login`
		);
	} finally {
		await handle.close();
	}
}

async function main(argv: string[]) {
	const [area, verb, ...rest] = argv;
	if (area === 'operator' && verb === 'create') return operatorCreate(rest);
	throw new Exit(2, USAGE);
}

main(process.argv.slice(2)).catch((error: unknown) => {
	if (error instanceof Exit) {
		for (const line of error.message.split('\n')) console.error(`[kopek] ${line}`);
		process.exit(error.code);
	}
	if (error instanceof ConfigError) {
		for (const line of error.problems) console.error(`[kopek] ${line}`);
		process.exit(3);
	}
	if (error instanceof SecretAborted) process.exit(130);
	// parseArgs refuses an unknown option or a missing value with a message of its own.
	if ((error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')) {
		console.error(`[kopek] ${(error as Error).message}\n${USAGE}`);
		process.exit(2);
	}
	throw error;
});
