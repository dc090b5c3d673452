/**
 * bench:counter — the counter in Debian's Chromium against the production build (fresh
 * Postgres database with the demo data):
 *   1. the JavaScript /company/pay loads, gzipped, without the lazily loaded QR scanner
 *      (goal ≤ 120 KB);
 *   2. the time from clicking "Провести оплату" to step 3 in the DOM, p50/p95 over BENCH_PAYMENTS
 *      payments (goal p95 ≤ 20 ms). Its raw reference, measured in the same page: one bare
 *      IndexedDB `add` with durability 'strict' (the write the step waits for).
 *
 *   DATABASE_URL=postgres://… npx tsx bench/counter-browser.ts
 */
import { chromium, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { chromiumArgs, chromiumPath } from '../playwright.config';
import { createBenchDatabase, printResult, startApp } from './support/app';
import { percentile } from './support/operations';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 60);
const WARM_UP = 5;
const PORT = Number(process.env.BENCH_PORT ?? 3214);

async function logIn(page: Page, baseUrl: string) {
	await page.goto(`${baseUrl}/login`);
	await page.getByLabel('E-mail (логин)').fill('company@kopek.local');
	await page.getByLabel('Пароль').fill('kopek-demo-2026');
	await page.getByRole('button', { name: 'Войти' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const database = await createBenchDatabase('counter');
let app: Awaited<ReturnType<typeof startApp>> | undefined;
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
	app = await startApp(database.url, { port: PORT, demo: true });
	const baseUrl = app.baseUrl;

	// 1. Bytes: a signed-in context without the service worker, so only the page's own loads count.
	const bytesContext = await browser.newContext({ serviceWorkers: 'block', locale: 'ru-RU' });
	const bytesPage = await bytesContext.newPage();
	await logIn(bytesPage, baseUrl);
	const scripts = new Map<string, Buffer>();
	bytesPage.on('response', (response) => {
		if (response.request().resourceType() !== 'script') return;
		void response.body().then(
			(body) => scripts.set(response.url(), body),
			() => {}
		);
	});
	await bytesPage.goto(`${baseUrl}/company/pay`, { waitUntil: 'networkidle' });
	await bytesPage.getByLabel('Название кассы').waitFor();
	await bytesPage.waitForTimeout(500);
	let gzipped = 0;
	let plain = 0;
	const qrChunks: string[] = [];
	for (const [url, body] of scripts) {
		if (/QrScanner|qr-scanner/.test(body.toString('utf8'))) {
			qrChunks.push(url);
			continue;
		}
		plain += body.length;
		gzipped += gzipSync(body, { level: 9 }).length;
	}
	await bytesContext.close();
	console.log(
		`/company/pay JavaScript: ${scripts.size - qrChunks.length} files, ${(plain / 1024).toFixed(1)} KB, ` +
			`${(gzipped / 1024).toFixed(1)} KB gzipped (goal ≤ 120 KB); QR scanner chunks loaded: ${qrChunks.length}`
	);

	// 2. Step 3 latency, with the service worker as in real use.
	const context = await browser.newContext({ locale: 'ru-RU' });
	const page = await context.newPage();
	await logIn(page, baseUrl);
	await page.goto(`${baseUrl}/company/pay`);
	await page.getByLabel('Название кассы').fill('Касса бенчмарка');
	await page.getByRole('button', { name: 'Зарегистрировать кассу' }).click();
	const idField = page.getByLabel('Введите QR код или ID клиента');
	await idField.waitFor();
	await page.evaluate(() => {
		const w = window as unknown as { __t0: number; __dom: number[] };
		w.__dom = [];
		w.__t0 = 0;
		document.addEventListener(
			'click',
			(event) => {
				const button = (event.target as Element).closest('button');
				if (button?.textContent?.includes('Провести оплату')) w.__t0 = performance.now();
			},
			true
		);
		new MutationObserver(() => {
			if (w.__t0 && document.querySelector('h2')?.textContent === 'Операция прошла успешно') {
				w.__dom.push(performance.now() - w.__t0);
				w.__t0 = 0;
			}
		}).observe(document.body, { childList: true, subtree: true });
	});
	// BENCH_OFFLINE=1 takes the payments with no network (every one waits in the outbox).
	if (process.env.BENCH_OFFLINE === '1') await context.setOffline(true);
	const customers = ['123455', '765438', '246801'];
	for (let i = 0; i < PAYMENTS + WARM_UP; i++) {
		await idField.fill(customers[i % customers.length]!);
		await page.getByRole('button', { name: 'Продолжить' }).click();
		const amount = page.getByLabel('Сумма счета, руб.:');
		await amount.fill(`${100 + i},${String(i % 100).padStart(2, '0')}`);
		await page.getByRole('button', { name: 'Провести оплату' }).click();
		await page.getByRole('heading', { name: 'Операция прошла успешно' }).waitFor();
		await page.getByRole('button', { name: 'Продолжить' }).click();
		await idField.waitFor();
	}
	const dom = (await page.evaluate(() => (window as unknown as { __dom: number[] }).__dom))
		.slice(WARM_UP)
		.sort((a, b) => a - b);

	// The raw reference in the same page: a bare strict-durability IndexedDB add per payment.
	const raw = (
		await page.evaluate(async (count) => {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const open = indexedDB.open('kopek-bench-raw', 1);
				open.onupgradeneeded = () => open.result.createObjectStore('ops', { keyPath: 'id' });
				open.onsuccess = () => resolve(open.result);
				open.onerror = () => reject(open.error);
			});
			const times: number[] = [];
			for (let i = 0; i < count; i++) {
				const t0 = performance.now();
				await new Promise<void>((resolve, reject) => {
					const tx = db.transaction('ops', 'readwrite', { durability: 'strict' });
					tx.objectStore('ops').add({ id: crypto.randomUUID(), amountKopecks: 10_000 + i });
					tx.oncomplete = () => resolve();
					tx.onerror = () => reject(tx.error);
				});
				times.push(performance.now() - t0);
			}
			db.close();
			return times;
		}, PAYMENTS + WARM_UP)
	)
		.slice(WARM_UP)
		.sort((a, b) => a - b);
	await context.close();

	const p = (xs: number[], q: number) => percentile(xs, q).toFixed(1);
	console.log(
		`"Провести оплату" → step 3 in the DOM, ${dom.length} payments: p50 ${p(dom, 50)} ms, p95 ${p(dom, 95)} ms, max ${p(dom, 100)} ms (goal p95 ≤ 20 ms)`
	);
	console.log(`bare IndexedDB strict add, same page: p50 ${p(raw, 50)} ms, p95 ${p(raw, 95)} ms`);
	printResult('counter-step3-p95', percentile(dom, 95), percentile(raw, 95), 'ms');
} finally {
	await browser.close();
	await app?.stop();
	await database.drop();
}
