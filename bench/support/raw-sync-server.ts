/**
 * The raw reference for bench:fleet: a minimal `node:http` + postgres.js handler around
 * raw-sync.ts (the session lookup and the same INSERT in one transaction; one fixed rate from
 * RAW_RATE_BP). Run as its own process, like the production server:
 *
 *   DATABASE_URL=… PORT=4111 RAW_COMPANY_ID=1 RAW_RATE_BP=1000 node --import tsx bench/support/raw-sync-server.ts
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import postgres from 'postgres';
import { rawSync } from './raw-sync';

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
	const { deviceId, operations } = body.json;
	const ids = await rawSync(sql, {
		sessionId: createHash('sha256').update(token).digest('hex'),
		companyId,
		deviceId,
		rateBp,
		operations
	});
	if (!ids) return null;
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
