import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { decodeMail } from '../../integration/support/mail-text';

/**
 * The mail the app under test wrote: scripts/e2e.js starts it without SMTP_URL and with
 * KOPEK_MAIL_DIR, so each mail is an .eml file there (the development default).
 */
export function mailDir(): string {
	const dir = process.env.KOPEK_MAIL_DIR;
	if (!dir)
		throw new Error('KOPEK_MAIL_DIR is not set: run the browser tests with npm run test:e2e');
	return dir;
}

/** The texts of the mails written so far to `to`, oldest first. */
export async function mailsTo(to: string): Promise<string[]> {
	const dir = mailDir();
	const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
	const texts = [];
	for (const file of files.sort()) {
		const raw = await readFile(path.join(dir, file), 'utf8');
		const recipient = /^To: (.*?)\r?$/m.exec(raw)?.[1];
		if (recipient === to) texts.push(decodeMail(raw).text);
	}
	return texts;
}

/** The reset link of the newest mail to `to`. */
export function resetLinkIn(text: string): string | null {
	return /^(https?:\/\/\S+\/login\/reset\?token=[A-Za-z0-9_-]{43})$/m.exec(text)?.[1] ?? null;
}

/** Asks for a reset link for `email` on /login/forgot and opens it from the mail. */
export async function openResetLink(page: Page, email: string): Promise<string> {
	const before = (await mailsTo(email)).length;
	await page.goto('/login/forgot');
	await page.getByLabel('E-mail').fill(email);
	await page.getByRole('button', { name: 'Отправить ссылку' }).click();
	await expect.poll(async () => (await mailsTo(email)).length).toBe(before + 1);
	const link = resetLinkIn((await mailsTo(email)).at(-1)!);
	expect(link).toBeTruthy();
	await page.goto(link!);
	await expect(page.getByRole('heading', { name: 'Новый пароль' })).toBeVisible();
	return link!;
}
