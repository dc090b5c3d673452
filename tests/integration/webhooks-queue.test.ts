/**
 * The delivery queue's cost does not grow with its history, and a sync's events go out at once
 * (issue 21's benchmark: p95 COMMIT → delivery ≤ 1 s at the fleet's rate). Both databases.
 *
 * - The claim and the record read the round's rows only, even on a never-analyzed queue with
 *   thousands of delivered and pending rows (lagging statistics made the planner scan every due
 *   index entry and sort every pending row for each round).
 * - A sync that wrote events wakes this process's worker after its COMMIT: delivered long
 *   before the next poll.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/types';
import {
	claimStatement,
	KEYED_PLANS,
	recordStatement
} from '../../server/repositories/webhook-outbox';
import { syncPayments } from '../../server/services/payment-sync';
import { startWebhookWorker } from '../../server/services/webhook-worker';
import { DEVICE, useWebhookWorld, worker } from './support/webhook-world';

const w = useWebhookWorld();

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	'Index Name'?: string;
	'Actual Rows'?: number;
	'Actual Loops'?: number;
	Plans?: PlanNode[];
}

/** The rows each scan of `table` returned in all (EXPLAIN ANALYZE, rolled back), by index or node type. */
async function rowsRead(
	db: Kysely<Database>,
	query: CompiledQuery,
	table: string,
	settings = ''
): Promise<{ via: string; rows: number }[]> {
	const found: { via: string; rows: number }[] = [];
	await db
		.transaction()
		.execute(async (trx) => {
			if (settings) await sql.raw(settings).execute(trx);
			const result = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(
				CompiledQuery.raw(`explain (analyze, format json) ${query.sql}`, [...query.parameters])
			);
			const raw = result.rows[0]!['QUERY PLAN'];
			const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
			const walk = (node: PlanNode) => {
				if (node['Relation Name'] === table && /Scan/.test(node['Node Type']))
					found.push({
						via: node['Index Name'] ?? node['Node Type'],
						rows: (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1)
					});
				node.Plans?.forEach(walk);
			};
			walk(plan[0]!.Plan);
			throw new Error('rollback');
		})
		.catch((error: Error) => {
			if (error.message !== 'rollback') throw error;
		});
	return found;
}

/** `count` deliveries to `endpointId`, the first `delivered` of them delivered. */
async function fillQueue(endpointId: string, count: number, delivered: number) {
	await sql`
		with ev as (
			insert into webhook_events (company_id, type, data)
			select ${w.company}, 'operation.created', jsonb_build_object('n', g)
			from generate_series(1, ${count}) g
			returning id
		)
		insert into webhook_deliveries (event_id, endpoint_id, next_attempt_at)
		select id, ${endpointId}::uuid, now() - interval '1 minute' from ev`.execute(w.db);
	await sql`
		update webhook_deliveries set status = 'delivered', delivered_at = now()
		where id in (select id from webhook_deliveries order by id limit ${delivered})`.execute(w.db);
}

describe('the queue', () => {
	it('a claim reads its batch only, in order, on a queue the planner has no statistics of', async () => {
		const endpoint = await addEndpointId();
		await fillQueue(endpoint, 3000, 2000);
		const reads = await rowsRead(
			w.db,
			claimStatement(16, 60).compile(w.db),
			'webhook_deliveries',
			KEYED_PLANS
		);
		// The due rows by the due index (16 of them), the claimed ones again by key.
		expect(reads).toContainEqual({ via: 'webhook_deliveries_due', rows: 16 });
		expect(Math.max(...reads.map((r) => r.rows))).toBeLessThanOrEqual(16);
	});

	it('recording a round reads its deliveries only, by key', async () => {
		const endpoint = await addEndpointId();
		await fillQueue(endpoint, 3000, 1000);
		const { rows } = await sql<{ id: number }>`
			select id from webhook_deliveries where status = 'pending' order by id limit 8`.execute(w.db);
		const records = rows.map((r) => ({
			deliveryId: Number(r.id),
			endpointId: endpoint,
			result: { statusCode: 200, durationMs: 1, responseHead: 'ok', error: null },
			outcome: 'delivered' as const
		}));
		const reads = await rowsRead(
			w.db,
			recordStatement(records).compile(w.db),
			'webhook_deliveries',
			KEYED_PLANS
		);
		expect(reads.map((r) => r.via)).toEqual(['webhook_deliveries_pkey']);
		expect(reads[0]!.rows).toBe(8);
	});
});

describe('waking the worker', () => {
	it("a sync's events go out after its COMMIT, not at the next poll", async () => {
		await w.addEndpoint(['operation.created']);
		// A poll far away: only the in-process signal can make the delivery quick.
		const running = startWebhookWorker(w.db, { ...worker, pollMs: 60_000, lanes: 2 });
		try {
			await new Promise((r) => setTimeout(r, 100));
			const started = Date.now();
			await syncPayments(w.db, {
				companyId: w.company,
				deviceId: DEVICE,
				createdBy: null,
				operations: [w.payment(), w.payment()]
			});
			await w.receiver.waitFor(2, 5_000);
			expect(Date.now() - started).toBeLessThan(1_000);
		} finally {
			await running.stop();
		}
	});
});

async function addEndpointId(): Promise<string> {
	return (await w.addEndpoint(['operation.created'])).id;
}
