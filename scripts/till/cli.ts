// A till simulator for POS developers (issue 20, SPEC C13): talks to a Kopek server's /api/v1
// with a client typed from the OpenAPI document (openapi-typescript → api.d.ts, openapi-fetch),
// so the document is proven usable by a real generator.
//
//   KOPEK_URL=http://localhost:3000 KOPEK_API_KEY=kpk_… npm run till -- <command> [options]
//
//   lookup <customer ID | QR text> [--code 123456] [--bill 100000]
//   quote --total 100000 [--customer 123455 --code 123456 --redeem 20000] [--lines …]
//   sale --customer 123455 --total 100000 [--code 123456 --redeem 20000] [--at 2026-…Z] [--lines …]
//   refund <sale ID> [--amount 30000 | --lines 1:1,2]
//   operations [--since 2026-…Z]
//
// Receipt lines (quote, sale): --lines 'Сыр:2:60000,Яблоки:1.5:25000,Пакет:1:500:nocashback'
// (name:quantity:amount[:nocashback|:noredeem]; the total defaults to their sum). A refund
// names lines of the sale by number from 1 and a quantity: --lines 1:1,2 (all of line 2).
//
// Money in kopecks. Every POST gets a fresh Idempotency-Key (--key to set one: a retry).
// Prints the answer as JSON; exits 1 on a problem answer.
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { paths } from './api';

const [command, ...rest] = process.argv.slice(2);
const positional: string[] = [];
const options: Record<string, string> = {};
for (let i = 0; i < rest.length; i++) {
	const arg = rest[i]!;
	if (arg.startsWith('--')) options[arg.slice(2)] = rest[++i] ?? '';
	else positional.push(arg);
}
const num = (name: string) => (options[name] === undefined ? undefined : Number(options[name]));

/** --lines of a receipt: name:quantity:amount[:nocashback|:noredeem], comma-separated. */
function receiptLines() {
	if (!options.lines) return undefined;
	return options.lines.split(',').map((item) => {
		const [name = '', quantity = '1', amount = '0', flag] = item.split(':');
		const amountKopecks = Number(amount);
		return {
			name,
			quantity: Number(quantity),
			priceKopecks: Math.round(amountKopecks / Number(quantity)),
			amountKopecks,
			...(flag === 'nocashback' ? { noCashback: true } : {}),
			...(flag === 'noredeem' ? { noRedeem: true } : {})
		};
	});
}

function receipt() {
	const lines = receiptLines();
	const total = num('total') ?? lines?.reduce((s, l) => s + l.amountKopecks, 0) ?? 0;
	return { totalKopecks: total, ...(lines ? { lines } : {}) };
}

/** --lines of a refund: line[:quantity], comma-separated. */
function refundLines() {
	if (!options.lines) return undefined;
	return options.lines.split(',').map((item) => {
		const [line = '', quantity] = item.split(':');
		return { line: Number(line), ...(quantity ? { quantity: Number(quantity) } : {}) };
	});
}

const baseUrl = process.env.KOPEK_URL ?? 'http://localhost:3000';
const key = process.env.KOPEK_API_KEY;
if (!key) {
	console.error('KOPEK_API_KEY is not set: create a key in «Интеграции» (/company/integrations)');
	process.exit(2);
}
const client = createClient<paths>({
	baseUrl,
	headers: { authorization: `Bearer ${key}` }
});
const idempotency = { 'Idempotency-Key': options.key ?? randomUUID() };

async function run() {
	switch (command) {
		case 'lookup':
			return client.GET('/api/v1/customers/{customer}', {
				params: {
					path: { customer: positional[0] ?? '' },
					query: { code: options.code, billKopecks: num('bill') }
				}
			});
		case 'quote':
			return client.POST('/api/v1/quotes', {
				params: { header: idempotency },
				body: {
					customerId: options.customer,
					code: options.code,
					receipt: receipt(),
					redeemKopecks: num('redeem')
				}
			});
		case 'sale':
			return client.POST('/api/v1/sales', {
				params: { header: idempotency },
				body: {
					customerId: options.customer ?? '',
					code: options.code,
					receipt: receipt(),
					redeemKopecks: num('redeem'),
					occurredAt: options.at
				}
			});
		case 'refund':
			return client.POST('/api/v1/sales/{saleId}/refunds', {
				params: { header: idempotency, path: { saleId: positional[0] ?? '' } },
				body: { amountKopecks: num('amount'), lines: refundLines(), reason: options.reason }
			});
		case 'operations':
			return client.GET('/api/v1/operations', {
				params: {
					query: {
						since: options.since ?? new Date(Date.now() - 86_400_000).toISOString(),
						cursor: options.cursor,
						limit: num('limit')
					}
				}
			});
		default:
			console.error('usage: npm run till -- lookup|quote|sale|refund|operations …');
			process.exit(2);
	}
}

const answer = await run();
if (answer.error !== undefined) {
	console.log(JSON.stringify(answer.error, null, 2));
	process.exit(1);
}
console.log(JSON.stringify(answer.data, null, 2));
