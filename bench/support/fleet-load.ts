/**
 * The load of bench:fleet: C counters, each on its own keep-alive connection with its own
 * session and terminal, each sending a batch of B payments, waiting for the answer, pausing
 * PAUSE ms (a counter's sync engine between rounds), and again, until the deadline. Bounded:
 * every call has a timeout and the loop stops at the deadline.
 */
import http from 'node:http';
import { makeOperations, percentile, syncBody } from './operations';
import type { BenchWorld } from './world';

export interface FleetLoad {
	counters: number;
	batch: number;
	pauseMs: number;
	warmupSeconds: number;
	seconds: number;
}

export interface FleetResult {
	counters: number;
	calls: number;
	callsPerSecond: number;
	opsPerSecond: number;
	p50: number;
	p95: number;
	p99: number;
	errors: number;
}

const CALL_TIMEOUT_MS = 10_000;

function post(
	agent: http.Agent,
	url: URL,
	cookie: string,
	body: string
): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{
				agent,
				method: 'POST',
				timeout: CALL_TIMEOUT_MS,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
					cookie,
					origin: url.origin
				}
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (d: string) => (text += d));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
				response.on('error', reject);
			}
		);
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', reject);
		request.end(body);
	});
}

/** Counts `"outcome":"accepted"` without parsing: the load generator shares the machine. */
function acceptedCount(text: string): number {
	let n = 0;
	for (let at = text.indexOf('"accepted"'); at !== -1; at = text.indexOf('"accepted"', at + 1)) n++;
	return n;
}

/** Runs the load against `url` (a sync endpoint) and measures the timed window only. */
export async function runFleet(url: URL, world: BenchWorld, load: FleetLoad): Promise<FleetResult> {
	const counters = world.devices.slice(0, load.counters);
	const started = performance.now();
	const measureFrom = started + load.warmupSeconds * 1000;
	const deadline = measureFrom + load.seconds * 1000;
	const latencies: number[] = [];
	let errors = 0;
	let firstError = '';

	await Promise.all(
		counters.map(async (device, index) => {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			// Spread the first calls over one pause so the counters do not start in lockstep.
			await new Promise((r) => setTimeout(r, (index / counters.length) * load.pauseMs));
			while (performance.now() < deadline) {
				const body = syncBody(device.deviceId, makeOperations(world, load.batch));
				const sent = performance.now();
				let ok = false;
				try {
					const answer = await post(agent, url, device.cookie, body);
					ok = answer.status === 200 && acceptedCount(answer.text) === load.batch;
					if (!ok && !firstError) firstError = `${answer.status}: ${answer.text.slice(0, 200)}`;
				} catch (error) {
					if (!firstError) firstError = String(error);
				}
				const done = performance.now();
				if (sent >= measureFrom && done <= deadline) {
					if (ok) latencies.push(done - sent);
					else errors++;
				}
				await new Promise((r) => setTimeout(r, load.pauseMs));
			}
			agent.destroy();
		})
	);
	if (firstError) console.log(`  first error: ${firstError}`);
	latencies.sort((a, b) => a - b);
	return {
		counters: load.counters,
		calls: latencies.length,
		callsPerSecond: latencies.length / load.seconds,
		opsPerSecond: (latencies.length * load.batch) / load.seconds,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		p99: percentile(latencies, 99),
		errors
	};
}

export function describe(
	label: string,
	r: FleetResult,
	cpuMsPerCall: number | null,
	postgresMsPerCall: number | null = null
): string {
	const cpu =
		(cpuMsPerCall === null ? '' : `, server CPU ${cpuMsPerCall.toFixed(2)} ms/call`) +
		(postgresMsPerCall === null ? '' : `, Postgres CPU ${postgresMsPerCall.toFixed(2)} ms/call`);
	return (
		`${label.padEnd(8)} C=${String(r.counters).padStart(4)}: ${r.callsPerSecond.toFixed(0).padStart(5)} calls/s, ` +
		`${r.opsPerSecond.toFixed(0).padStart(6)} ops/s, p50 ${r.p50.toFixed(1)} ms, ` +
		`p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}${cpu}`
	);
}
