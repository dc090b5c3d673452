import postgres from 'postgres';
import { contentHash } from '../../server/repositories/operations';
import { computeCashback } from '../../src/lib/domain/money';
import { uuidv7 } from '../../src/lib/domain/uuid';
import type { BenchWorld } from './world';

export interface WireOperation {
	id: string;
	customerId: string;
	amountKopecks: number;
	occurredAt: string;
}

/** `count` payments of one terminal, as the counter would make them (within the last day). */
export function makeOperations(world: BenchWorld, count: number): WireOperation[] {
	const now = Date.now();
	return Array.from({ length: count }, () => ({
		id: uuidv7(),
		customerId: world.customers[Math.floor(Math.random() * world.customers.length)]!,
		amountKopecks: 1 + Math.floor(Math.random() * 10_000_000),
		occurredAt: new Date(now - Math.floor(Math.random() * 86_400_000)).toISOString()
	}));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** The body of one `payments.sync` call, as the counter sends it (made before the timing). */
export function syncBody(deviceId: string, operations: readonly WireOperation[]): string {
	return JSON.stringify({ json: { deviceId, operations } });
}

/** One `payments.sync` call over HTTP, as the counter makes it; returns the answer's text. */
export async function postSync(baseUrl: string, cookie: string, body: string): Promise<string> {
	const response = await fetch(`${baseUrl}/api/trpc/payments.sync`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie, origin: baseUrl },
		body
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`sync answered ${response.status}: ${text}`);
	return text;
}

/** Checks an answer (after the timing): one `accepted` per operation sent. */
export function expectAllAccepted(answer: string, count: number): void {
	const body = JSON.parse(answer) as { result: { data: { json: { outcome: string }[] } } };
	const outcomes = body.result.data.json;
	if (outcomes.length !== count || outcomes.some((o) => o.outcome !== 'accepted')) {
		throw new Error(`unexpected outcomes: ${JSON.stringify(outcomes.slice(0, 3))}`);
	}
}

/**
 * The raw-Postgres reference: the same kind of rows (rate, cashback and content hash computed
 * beforehand, outside the timing) by plain batched INSERT … ON CONFLICT (id) DO NOTHING.
 */
export function rawRows(
	world: BenchWorld,
	device: { deviceId: string; userId: string },
	operations: readonly WireOperation[]
) {
	const { deviceId } = device;
	return operations.map((op) => {
		const occurredAt = new Date(op.occurredAt);
		return {
			id: op.id,
			company_id: world.companyId,
			device_id: deviceId,
			customer_id: op.customerId,
			amount_kopecks: op.amountKopecks,
			rate_bp: world.rateBp,
			cashback_kopecks: computeCashback(op.amountKopecks, world.rateBp),
			occurred_at: occurredAt,
			created_by: device.userId,
			content_hash: contentHash({
				companyId: world.companyId,
				deviceId,
				customerId: op.customerId,
				amountKopecks: op.amountKopecks,
				occurredAt
			})
		};
	});
}

export async function rawInsert(
	sql: postgres.Sql,
	rows: ReturnType<typeof rawRows>
): Promise<void> {
	await sql`insert into operations ${sql(rows)} on conflict (id) do nothing`;
}

export function connectRaw(url: string, max: number): postgres.Sql {
	return postgres(url, { max, onnotice: () => {} });
}

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return sorted[Math.max(0, index)]!;
}
