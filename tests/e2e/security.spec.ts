import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from './support/auth';

test('a cross-site JSON POST to /api/trpc is refused, a same-origin one is not', async ({
	request,
	baseURL
}) => {
	const body = JSON.stringify({ json: { locale: 'en' } });
	const evil = await request.post('/api/trpc/auth.setLocale', {
		headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
		data: body
	});
	expect(evil.status()).toBe(403);

	const ours = await request.post('/api/trpc/auth.setLocale', {
		headers: { 'content-type': 'application/json', origin: baseURL! },
		data: body
	});
	// it reaches tRPC, which refuses an anonymous caller by itself
	expect(ours.status()).toBe(401);
});

test('the session cookie is HttpOnly, SameSite=Lax, Path=/, and dies server-side at logout', async ({
	page,
	context,
	baseURL
}) => {
	const response = await page.request.post('/login', {
		headers: { origin: baseURL!, accept: 'text/html' },
		form: { email: 'company@kopek.local', password: DEMO_PASSWORD },
		maxRedirects: 0
	});
	expect(response.status()).toBe(303);
	const setCookie = response.headers()['set-cookie'] ?? '';
	expect(setCookie).toMatch(/kopek_session=[a-z2-7]{26,}/);
	expect(setCookie).toMatch(/HttpOnly/i);
	expect(setCookie).toMatch(/SameSite=Lax/i);
	expect(setCookie).toMatch(/Path=\//i);
	expect(setCookie).not.toMatch(/Secure/i); // served from localhost

	const token = /kopek_session=([a-z2-7]+)/.exec(setCookie)![1]!;
	const me = async () =>
		(await (
			await page.request.get('/api/trpc/auth.me', { headers: { cookie: `kopek_session=${token}` } })
		).json()) as {
			result: { data: { json: { email: string } | null } };
		};
	expect((await me()).result.data.json?.email).toBe('company@kopek.local');

	await page.goto('/company');
	await page.getByRole('button', { name: 'Выйти' }).click();
	await expect(page).toHaveURL(/\/login/);
	// the old token, replayed by hand, no longer opens anything
	expect((await me()).result.data.json).toBeNull();
	void context;
});
