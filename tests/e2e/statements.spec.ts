import { expect, test, type Browser, type TestInfo } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { logInAs } from './support/auth';
import { resend } from './support/counter';

/** A month YYYY-MM in words, as the pages write it (ru-RU). */
function monthName(month: string): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	return new Intl.DateTimeFormat('ru-RU', {
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(Date.UTC(y, m - 1, 1)));
}

function moscowMonth(shift = 0): string {
	const now = new Intl.DateTimeFormat('en-CA', {
		timeZone: 'Europe/Moscow',
		year: 'numeric',
		month: '2-digit'
	}).format(new Date());
	const [y, m] = now.split('-').map(Number) as [number, number];
	const i = y * 12 + m - 1 + shift;
	return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

async function signedIn(browser: Browser, testInfo: TestInfo, email: string) {
	const context = await browser.newContext({
		baseURL: testInfo.project.use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow',
		acceptDownloads: true
	});
	const page = await context.newPage();
	await logInAs(page, email);
	return page;
}

test('the operator closes last month; the company sees it frozen, downloads it, and a late payment goes to this month', async ({
	browser
}, testInfo) => {
	const last = moscowMonth(-1);
	const current = moscowMonth(0);

	// The operator closes last month for every company.
	const operator = await signedIn(browser, testInfo, 'operator@kopek.local');
	await operator
		.getByRole('navigation', { name: 'Разделы' })
		.getByRole('link', { name: 'Расчёты' })
		.click();
	await expect(operator.getByRole('heading', { level: 1 })).toContainText(monthName(last));
	const albixe = operator.getByRole('row', { name: /Albixe/ });
	await expect(albixe).toContainText('Открыт');
	operator.once('dialog', (dialog) => dialog.accept());
	await operator
		.getByRole('button', { name: `Закрыть ${monthName(last)} для всех компаний` })
		.click();
	await expect(operator.getByRole('status')).toContainText('Закрыто компаний: 1');
	await operator.reload();
	await expect(operator.getByRole('row', { name: /Albixe/ })).toContainText('Закрыт');

	// The company opens «Расчёты»: last month is closed, with its figures and hash.
	const company = await signedIn(browser, testInfo, 'company@kopek.local');
	await company
		.getByRole('navigation', { name: 'Разделы' })
		.getByRole('link', { name: 'Расчёты' })
		.click();
	await company.getByRole('link', { name: monthName(last) }).click();
	const statement = company.getByRole('article');
	await expect(statement).toContainText(/Закрыт \d/);
	await expect(
		statement.getByRole('table', { name: `Операции за ${monthName(last)}` })
	).toBeVisible();
	const sha = (await statement.locator('code').textContent())!.trim();
	expect(sha).toMatch(/^[0-9a-f]{64}$/);
	const turnover = await statement
		.getByRole('table', { name: 'Итого по акту' })
		.getByRole('row', { name: /Оборот/ })
		.textContent();

	const [download] = await Promise.all([
		company.waitForEvent('download'),
		statement.getByRole('link', { name: 'Скачать CSV' }).click()
	]);
	expect(download.suggestedFilename()).toBe(`raschety-${last}.csv`);
	const csv = await readFile((await download.path())!, 'utf8');
	expect(csv.startsWith('\uFEFF')).toBe(true);
	expect(csv).toContain(`Операции за ${monthName(last)};`);
	expect(csv).toContain(sha);

	// A counter that was offline syncs a payment taken last month.
	const takenAt = new Date(
		Math.max(new Date(`${last}-01T12:00:00+03:00`).getTime(), Date.now() - 29 * 86_400_000)
	);
	test.skip(
		takenAt.getTime() >= new Date(`${current}-01T00:00:00+03:00`).getTime(),
		'last month is more than 29 days ago: the sync would refuse it as too old'
	);
	const { deviceId } = await company.evaluate(async () => {
		const response = await fetch('/api/trpc/devices.register', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ json: { name: 'Касса без связи' } })
		});
		return (await response.json()).result.data.json as { deviceId: string };
	});
	const outcomes = await resend(company, deviceId, [
		{
			id: uuidv7(),
			customerId: '123455',
			amountKopecks: 4_321_00,
			occurredAt: takenAt.toISOString()
		}
	]);
	expect(outcomes[0]!.outcome).toBe('accepted');

	// It shows in this month's late section; last month's statement has not moved.
	await company.goto(`/company/statements?month=${current}`);
	const late = company.getByRole('table', { name: `Поздние операции за ${monthName(last)}` });
	await expect(late).toBeVisible();
	await expect(late.getByRole('row', { name: /Оборот/ })).toContainText('4 321,00');
	await expect(company.getByRole('row', { name: new RegExp(monthName(current)) })).toContainText(
		'поздних: 1'
	);
	await company.goto(`/company/statements?month=${last}`);
	await expect(company.getByRole('article').locator('code')).toHaveText(sha);
	await expect(
		company
			.getByRole('article')
			.getByRole('table', { name: 'Итого по акту' })
			.getByRole('row', { name: /Оборот/ })
	).toHaveText(turnover!);
});
