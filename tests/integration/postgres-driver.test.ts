import net from 'node:net';
import { CompiledQuery, Kysely, sql } from 'kysely';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeThenCommit } from '../../server/db/commit';
import { KopekPostgresJSDialect } from '../../server/db/postgres-dialect';
import type { Database } from '../../server/db/types';
import { createTestDatabase, type TestDatabase } from './support/db';

/**
 * Kopek's Postgres driver (server/db/postgres-dialect.ts) saves round trips on the sync's
 * path: a transaction's BEGIN goes out in the same socket write as its first statement, and
 * executeThenCommit sends the last statement with its COMMIT. Counted here at the socket:
 * every write postgres.js makes goes through a wrapped socket.
 */
const url = process.env.DATABASE_URL;
let t: TestDatabase;
let db: Kysely<Database>;
let client: postgres.Sql;
const writes: string[] = [];

beforeAll(async () => {
	if (!url) return;
	t = await createTestDatabase({ migrate: false });
	const target = new URL(t.url!);
	// postgres.js's `socket` option (a socket factory) is not in its type declarations.
	const socket = () => {
		const connection = net.connect(Number(target.port || 5432), target.hostname);
		const write = connection.write.bind(connection) as (...args: unknown[]) => boolean;
		connection.write = ((chunk: Buffer, ...rest: unknown[]) => {
			writes.push(chunk.toString('latin1'));
			return write(chunk, ...rest);
		}) as typeof connection.write;
		return connection;
	};
	client = postgres(t.url!, { max: 1, onnotice: () => {}, ...({ socket } as object) });
	db = new Kysely<Database>({ dialect: new KopekPostgresJSDialect({ postgres: client }) });
	await sql`create table driver_probe (id integer primary key)`.execute(db);
});
afterAll(async () => {
	await db?.destroy();
	await t?.close();
});

const insert = (id: number) =>
	CompiledQuery.raw('insert into driver_probe (id) values ($1) returning id', [id]);
const count = async () =>
	Number(
		(await sql<{ n: string }>`select count(*) as n from driver_probe`.execute(t.db)).rows[0]!.n
	);
/** The socket writes one transaction made: which carried BEGIN, a statement, COMMIT. */
async function writesOf(work: () => Promise<unknown>): Promise<string[]> {
	// Prepare the statements first: the first use of a statement also sends its Parse/Describe.
	writes.length = 0;
	await work().catch(() => {});
	return writes.map((w) =>
		[
			w.includes('begin') && 'begin',
			w.includes('B\0') && 'statement',
			w.includes('commit') && 'commit'
		]
			.filter(Boolean)
			.join('+')
	);
}

describe.skipIf(!url)('Kopek Postgres driver', () => {
	it('sends BEGIN with the first statement, and the last statement with its COMMIT', async () => {
		await db.transaction().execute(async (trx) => {
			await trx.executeQuery(insert(1));
			await executeThenCommit(trx, insert(2));
		});
		const shape = await writesOf(() =>
			db.transaction().execute(async (trx) => {
				await trx.executeQuery(insert(3));
				await executeThenCommit(trx, insert(4));
			})
		);
		expect(shape).toEqual(['begin+statement', 'statement+commit']);
		expect(await count()).toBe(4);
		// Without executeThenCommit the COMMIT is a round trip of its own.
		expect(
			await writesOf(() =>
				db.transaction().execute(async (trx) => {
					await trx.executeQuery(insert(5));
				})
			)
		).toEqual(['begin+statement', 'commit']);
	});

	it('rolls back when the last statement fails, and the connection serves the next transaction', async () => {
		const failing = db.transaction().execute(async (trx) => {
			await trx.executeQuery(insert(10));
			await executeThenCommit(trx, insert(1)); // duplicate key
		});
		await expect(failing).rejects.toMatchObject({ code: '23505' });
		expect(await count()).toBe(5);
		await db.transaction().execute((trx) => executeThenCommit(trx, insert(11)));
		expect(await count()).toBe(6);
	});

	it('refuses a statement after the COMMIT went out', async () => {
		const late = db.transaction().execute(async (trx) => {
			await executeThenCommit(trx, insert(20));
			await trx.executeQuery(insert(21));
		});
		await expect(late).rejects.toThrow(/after the transaction was committed/);
		// The first is committed, the second never ran.
		expect(await count()).toBe(7);
	});
});
