import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { getConfig, type Config } from '../config';
import { logger } from '../observability/logger';

/** One plain-text mail. */
export interface OutgoingMail {
	to: string;
	subject: string;
	text: string;
}

/** Sends mail: over SMTP when SMTP_URL is set, else into a file (the development default). */
export interface Mailer {
	send(mail: OutgoingMail): Promise<void>;
}

/** Where mail goes without SMTP_URL: KOPEK_MAIL_DIR, else <KOPEK_DATA_DIR>/mail. */
export function mailDirectory(config: Config = getConfig()): string {
	return path.resolve(config.KOPEK_MAIL_DIR ?? path.join(config.KOPEK_DATA_DIR, 'mail'));
}

/** 20261206T195600123Z-3f9a1c.eml: sorts by time, two mails in one millisecond do not collide. */
function mailFileName(now: Date): string {
	const stamp = now.toISOString().replace(/[-:.]/g, '');
	return `${stamp}-${randomBytes(3).toString('hex')}.eml`;
}

/** An RFC 2047 word for a header that may hold Cyrillic. */
function encodedWord(text: string): string {
	return /^[\x20-\x7e]*$/.test(text)
		? text
		: `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/**
 * The mail as an .eml file: RFC 5322 with an 8bit UTF-8 body, so that it opens in any mail
 * client and also reads as it is (`cat`), link included. nodemailer always encodes Cyrillic
 * text as base64 or quoted-printable, which would hide (or break) the link for a person.
 */
export function toEml(from: string, mail: OutgoingMail, date: Date): string {
	const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'kopek.local';
	const body = mail.text.replace(/\r?\n/g, '\r\n');
	return [
		`From: ${from}`,
		`To: ${mail.to}`,
		`Subject: ${encodedWord(mail.subject)}`,
		`Date: ${date.toUTCString().replace('GMT', '+0000')}`,
		`Message-ID: <${randomBytes(12).toString('hex')}@${domain}>`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'Content-Transfer-Encoding: 8bit',
		'',
		body,
		''
	].join('\r\n');
}

/**
 * Writes each mail, whole, to a file, and logs one line saying where. The line never carries
 * the mail's text: a reset link in it would open the account to anyone who reads the log. The
 * file is as private as the database beside it.
 */
function fileMailer(config: Config, log: Logger): Mailer {
	const dir = mailDirectory(config);
	return {
		async send(mail) {
			const now = new Date();
			await mkdir(dir, { recursive: true, mode: 0o700 });
			const file = path.join(dir, mailFileName(now));
			await writeFile(file, toEml(config.SMTP_FROM, mail, now), { mode: 0o600 });
			const line = { event: 'mail.file', to: mail.to, subject: mail.subject, file };
			// In production a mail nobody receives is a misconfiguration worth seeing.
			if (config.NODE_ENV === 'production') {
				log.warn(line, 'SMTP_URL is not set: the mail was written to a file, not sent');
			} else {
				log.info(line, 'mail written to a file (SMTP_URL is not set)');
			}
		}
	};
}

/** nodemailer over SMTP_URL (STARTTLS when the server offers it; smtps:// for TLS from the start). */
function smtpMailer(config: Config & { SMTP_URL: string }, log: Logger): Mailer {
	const transport: Transporter = nodemailer.createTransport(config.SMTP_URL);
	return {
		async send(mail) {
			const info = await transport.sendMail({ from: config.SMTP_FROM, ...mail });
			log.info({ event: 'mail.sent', to: mail.to, messageId: info.messageId }, 'mail sent');
		}
	};
}

export function createMailer(config: Config = getConfig(), log: Logger = logger): Mailer {
	return config.SMTP_URL
		? smtpMailer(config as Config & { SMTP_URL: string }, log)
		: fileMailer(config, log);
}

let shared: Mailer | undefined;

/** The process's mailer, from the environment, made on first use. */
export function getMailer(): Mailer {
	shared ??= createMailer();
	return shared;
}
