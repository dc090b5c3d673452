import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { getConfig } from '../config';
import { createMailer, mailDirectory } from './mailer';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function capturingLogger() {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk, _enc, done) {
			lines.push(String(chunk));
			done();
		}
	});
	return { log: pino({ level: 'info' }, stream), lines };
}

describe('mail without SMTP_URL (the development default)', () => {
	it('writes the whole mail to a file in KOPEK_MAIL_DIR and logs where, not what', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'kopek-mail-'));
		dirs.push(dir);
		const config = getConfig({ KOPEK_MAIL_DIR: path.join(dir, 'mail') });
		const { log, lines } = capturingLogger();
		await createMailer(config, log).send({
			to: 'anna@example.test',
			subject: 'Восстановление пароля Kopek',
			text: 'Откройте ссылку: http://localhost:3000/login/reset?token=SECRET-TOKEN-VALUE'
		});
		const files = readdirSync(path.join(dir, 'mail'));
		expect(files).toHaveLength(1);
		expect(files[0]).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}\.eml$/);
		const file = path.join(dir, 'mail', files[0]!);
		const raw = readFileSync(file, 'utf8');
		expect(raw).toMatch(/^To: anna@example\.test$/m);
		expect(raw).toMatch(/^From: Kopek <no-reply@kopek\.local>$/m);
		// readable as it is: the link is whole on its line
		expect(raw).toMatch(/^Content-Transfer-Encoding: 8bit$/m);
		expect(raw).toContain(
			'\r\n\r\nОткройте ссылку: http://localhost:3000/login/reset?token=SECRET-TOKEN-VALUE\r\n'
		);
		expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/m);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain(file);
		expect(lines[0]).not.toContain('SECRET');
	});

	it('defaults to <KOPEK_DATA_DIR>/mail', () => {
		expect(mailDirectory(getConfig({ KOPEK_DATA_DIR: '/srv/kopek' }))).toBe('/srv/kopek/mail');
	});
});

describe('SMTP_URL', () => {
	it('takes smtp:// and smtps:// URLs and refuses anything else in one line', () => {
		expect(getConfig({ SMTP_URL: 'smtps://kopek:pw@smtp.example:465' }).SMTP_URL).toBe(
			'smtps://kopek:pw@smtp.example:465'
		);
		expect(getConfig({ SMTP_URL: '' }).SMTP_URL).toBeUndefined();
		expect(() => getConfig({ SMTP_URL: 'http://smtp.example' })).toThrow(/SMTP_URL/);
		expect(() => getConfig({ SMTP_URL: 'smtp.example:25' })).toThrow(/SMTP_URL/);
	});
});
