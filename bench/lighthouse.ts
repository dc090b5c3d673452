/**
 * bench:lighthouse — Lighthouse's mobile preset (the default: Moto G power-class phone,
 * simulated slow 4G and 4× CPU slowdown) on the signed-in pages a cheap counter tablet and a
 * customer's phone open: /company/pay as the demo company, /me as the demo customer, against the
 * production build on a fresh embedded database with the demo data (DATABASE_URL is ignored).
 * Debian's Chromium runs headless with a DevTools port that Lighthouse attaches to; the session
 * cookie comes from a login through the login form's HTTP POST and goes in `extraHeaders`.
 * Each page is measured BENCH_LIGHTHOUSE_RUNS times (default 3) with cold storage (Lighthouse
 * clears the service worker and caches before each run) and prints the medians: performance
 * score, total blocking time, first and largest contentful paint; plus the scripts that cost the
 * main thread most in the median run (Lighthouse's bootup-time).
 * Goal: score ≥ 98 and TBT ≤ 150 ms on both pages.
 *
 * Raw reference: a minimal static HTML page from a bare node:http server, measured the same way;
 * the JSON line's figures are the lower of the two pages' median scores (0–100) and that score
 * for the raw page, so ratio = the worse page's score / the best a page can get on this host.
 *
 *   npx tsx bench/lighthouse.ts            (BENCH_SKIP_BUILD=1 reuses build-bench/)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { chromiumPath } from '../playwright.config';
import { printResult, startApp } from './support/app';
import { percentile } from './support/operations';

const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 3210);
const RAW_PORT = PORT + 1;
const DEBUG_PORT = Number(process.env.BENCH_DEBUG_PORT ?? 9310);
const PASSWORD = 'kopek-demo-2026';

interface Run {
	score: number;
	tbt: number;
	fcp: number;
	lcp: number;
	bootup: { url: string; scripting: number; total: number }[];
	/** Main-thread time by kind of work (script evaluation, style & layout, parse HTML…). */
	work: { groupLabel: string; duration: number }[];
}

/** The session cookie ("name=value") of a login through the login form's plain HTTP POST. */
async function sessionCookie(baseUrl: string, email: string): Promise<string> {
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: baseUrl,
			// as a browser's form post: */* would get SvelteKit's JSON answer for enhanced forms
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password: PASSWORD })
	});
	const cookie = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0]!)
		.find((pair) => pair.startsWith('kopek_session='));
	if (response.status !== 303 || !cookie) {
		const text = (await response.text()).replace(/\s+/g, ' ');
		const error = /<[^>]*role="alert"[^>]*>(.*?)</.exec(text)?.[1] ?? text.slice(0, 300);
		throw new Error(`login as ${email} failed: HTTP ${response.status}: ${error}`);
	}
	return cookie;
}

/** Headless Chromium with a DevTools port, a throwaway profile, and no calls to Google. */
async function startChromium() {
	const profile = mkdtempSync(path.join(tmpdir(), 'kopek-lighthouse-'));
	const chromium = spawn(
		chromiumPath,
		[
			'--headless=new',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-quic',
			'--disable-dev-shm-usage',
			'--no-first-run',
			'--no-default-browser-check',
			`--user-data-dir=${profile}`,
			`--remote-debugging-port=${DEBUG_PORT}`,
			'about:blank'
		],
		{ stdio: 'ignore' }
	);
	chromium.on('error', (error) => {
		console.error(`Chromium at ${chromiumPath} did not start: ${error.message}`);
		process.exit(1);
	});
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (chromium.exitCode !== null || Date.now() > deadline) {
			chromium.kill('SIGKILL');
			throw new Error(`Chromium did not open its DevTools port ${DEBUG_PORT}`);
		}
		try {
			if ((await fetch(`http://127.0.0.1:${DEBUG_PORT}/json/version`)).ok) break;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		async stop() {
			if (chromium.exitCode === null) {
				chromium.kill('SIGTERM');
				await new Promise((r) => chromium.once('exit', r));
			}
			// Chromium's helper processes may still be writing the profile for a moment.
			rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
		}
	};
}

async function measure(url: string, cookie: string | null): Promise<Run> {
	const result = await lighthouse(url, {
		port: DEBUG_PORT,
		hostname: '127.0.0.1',
		output: 'json',
		logLevel: 'error',
		onlyCategories: ['performance'],
		extraHeaders: cookie ? { Cookie: cookie } : undefined
	});
	if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
	const { lhr } = result;
	// BENCH_LIGHTHOUSE_SAVE=<dir> keeps every report, for a look at the request chains.
	const saveDir = process.env.BENCH_LIGHTHOUSE_SAVE;
	if (saveDir) {
		const name = `${new URL(url).pathname.replace(/\W+/g, '_')}-${Date.now()}.json`;
		writeFileSync(path.join(saveDir, name), JSON.stringify(lhr));
	}
	if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
	// A login that did not hold would measure the login page instead.
	if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(url).pathname) {
		throw new Error(`Lighthouse on ${url} ended on ${lhr.finalDisplayedUrl}`);
	}
	const numeric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
	const bootupItems = (lhr.audits['bootup-time']?.details as { items?: Run['bootup'] } | undefined)
		?.items;
	return {
		score: (lhr.categories.performance?.score ?? NaN) * 100,
		tbt: numeric('total-blocking-time'),
		fcp: numeric('first-contentful-paint'),
		lcp: numeric('largest-contentful-paint'),
		bootup: (bootupItems ?? []).slice(0, 5),
		work: (
			(lhr.audits['mainthread-work-breakdown']?.details as { items?: Run['work'] } | undefined)
				?.items ?? []
		).slice(0, 4)
	};
}

async function measurePage(label: string, url: string, cookie: string | null) {
	const runs: Run[] = [];
	for (let i = 0; i < RUNS; i++) runs.push(await measure(url, cookie));
	const median = (pick: (run: Run) => number) =>
		percentile(
			runs.map(pick).sort((a, b) => a - b),
			50
		);
	const score = median((r) => r.score);
	const tbt = median((r) => r.tbt);
	console.log(
		`${label}: performance ${score.toFixed(0)} (runs ${runs.map((r) => r.score.toFixed(0)).join(', ')}), ` +
			`TBT ${tbt.toFixed(0)} ms, FCP ${median((r) => r.fcp).toFixed(0)} ms, ` +
			`LCP ${median((r) => r.lcp).toFixed(0)} ms — medians of ${RUNS} (goal ≥ 98, TBT ≤ 150 ms)`
	);
	const medianRun = [...runs].sort((a, b) => a.tbt - b.tbt)[Math.floor(runs.length / 2)]!;
	console.log(
		'    main thread: ' +
			medianRun.work.map((w) => `${w.groupLabel} ${w.duration.toFixed(0)} ms`).join(', ')
	);
	for (const item of medianRun.bootup) {
		const name = item.url.startsWith('http') ? new URL(item.url).pathname : item.url;
		console.log(
			`    ${name}: ${item.total.toFixed(0)} ms main thread, ${item.scripting.toFixed(0)} ms scripting`
		);
	}
	return { score, tbt };
}

const RAW_PAGE =
	'<!doctype html><html lang="ru"><head><meta charset="utf-8">' +
	'<meta name="viewport" content="width=device-width, initial-scale=1">' +
	'<title>Касса</title></head><body><h1>Оплата</h1><p>Введите QR код или ID клиента</p></body></html>';
const rawServer = createServer((_request, response) => {
	response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
	response.end(RAW_PAGE);
});

let app: Awaited<ReturnType<typeof startApp>> | undefined;
let chromium: Awaited<ReturnType<typeof startChromium>> | undefined;
try {
	app = await startApp(null, { port: PORT, demo: true });
	await new Promise<void>((resolve) => rawServer.listen(RAW_PORT, '127.0.0.1', resolve));
	chromium = await startChromium();
	const company = await sessionCookie(app.baseUrl, 'company@kopek.local');
	const customer = await sessionCookie(app.baseUrl, 'customer@kopek.local');

	const pay = await measurePage('/company/pay', `${app.baseUrl}/company/pay`, company);
	const me = await measurePage('/me', `${app.baseUrl}/me`, customer);
	const raw = await measurePage('raw static page', `http://127.0.0.1:${RAW_PORT}/`, null);
	printResult('lighthouse-mobile-score', Math.min(pay.score, me.score), raw.score, 'score');
} finally {
	await chromium?.stop();
	await app?.stop();
	rawServer.close();
}
