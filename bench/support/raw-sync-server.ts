/**
 * The raw reference for bench:fleet: a minimal `node:http` + postgres.js handler doing what a
 * sync call must do at the least, in one transaction: the session lookup by token hash (one
 * query, with its user) and the same multi-row INSERT … ON CONFLICT (id) DO NOTHING into the
 * same `operations` table as `payments.sync`. No framework, no validation, no rate lookup
 * (one fixed rate from RAW_RATE_BP). Run as its own process, like the production server:
 *
 *   DATABASE_URL=… PORT=4111 RAW_COMPANY_ID=1 RAW_RATE_BP=1000 node --import tsx bench/support/raw-sync-server.ts
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import postgres from 'postgres';
import { contentHash } from '../../server/repositories/operations';
import { computeCashback } from '../../src/lib/domain/money';

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
const companyId = Number(process.env.RAW_COMPANY_ID);
const rateBp = Number(process.env.RAW_RATE_BP);

interface Body {
	json: {
		deviceId: string;
		operations: { id: string; customerId: string; amountKopecks: number; occurredAt: string }[];
	};
}

async function sync(token: string, body: Body): Promise<string | null> {
	const sessionId = createHash('sha256').update(token).digest('hex');
	const { deviceId, operations } = body.json;
	return sql.begin(async (tx) => {
		const [session] = await tx`
			select u.id, u.company_id from sessions s join users u on u.id = s.user_id
			where s.id = ${sessionId} and s.expires_at > now()`;
		if (!session) return null;
		const payload = JSON.stringify(
			operations.map((op) => {
				const occurredAt = new Date(op.occurredAt);
				return {
					i: op.id,
					c: op.customerId,
					a: op.amountKopecks,
					r: rateBp,
					k: computeCashback(op.amountKopecks, rateBp),
					o: occurredAt.toISOString(),
					h: contentHash({ companyId, deviceId, ...op, occurredAt })
				};
			})
		);
		const inserted = await tx`
			insert into operations (id, company_id, device_id, customer_id, amount_kopecks, rate_bp,
				cashback_kopecks, occurred_at, content_hash, created_by)
			select p.i, ${companyId}, ${deviceId}::uuid, p.c, p.a, p.r, p.k, p.o, p.h, ${session.id}::uuid
			from jsonb_to_recordset((${payload}::text)::jsonb) as p(i uuid, c text, a bigint,
				r integer, k bigint, o timestamptz, h text)
			order by p.i
			on conflict (id) do nothing
			returning id`;
		const ids = new Set(inserted.map((row) => row.id as string));
		return JSON.stringify({
			result: {
				data: {
					json: operations.map((op) => ({
						id: op.id,
						outcome: ids.has(op.id) ? 'accepted' : 'duplicate'
					}))
				}
			}
		});
	});
}

const server = http.createServer((req, res) => {
	const chunks: Buffer[] = [];
	req.on('data', (chunk: Buffer) => chunks.push(chunk));
	req.on('end', () => {
		const token = /kopek_session=([a-z2-7]+)/.exec(req.headers.cookie ?? '')?.[1];
		if (!token) {
			res.writeHead(401).end();
			return;
		}
		sync(token, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body).then(
			(answer) => {
				if (answer === null) res.writeHead(401).end();
				else res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
			},
			(error: unknown) => {
				console.error(error);
				res.writeHead(500).end();
			}
		);
	});
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('raw sync listening'));
process.on('SIGTERM', () => {
	server.close();
	void sql.end({ timeout: 2 }).then(() => process.exit(0));
});
