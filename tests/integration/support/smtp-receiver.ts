import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One mail as the receiver got it: envelope recipients and the decoded text body. */
export interface ReceivedMail {
	to: string[];
	raw: string;
	subject: string;
	text: string;
}

/** The body of a single-part mail, undoing its transfer encoding (quoted-printable or base64). */
function decodeBody(raw: string): { subject: string; text: string } {
	const split = raw.indexOf('\r\n\r\n');
	const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
	const body = raw.slice(split + 4);
	const header = (name: string) =>
		new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(head)?.[1]?.trim() ?? '';
	const encoding = header('Content-Transfer-Encoding').toLowerCase();
	let text = body;
	if (encoding === 'base64')
		text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') {
		const bytes = body
			.replace(/=\r?\n/g, '')
			.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
		text = decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
	}
	// Subjects are RFC 2047 words (=?UTF-8?B?…?= or =?UTF-8?Q?…?=).
	const subject = header('Subject').replace(
		/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi,
		(_, kind: string, data: string) =>
			kind.toLowerCase() === 'b'
				? Buffer.from(data, 'base64').toString('utf8')
				: decodeURIComponent(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1'))
	);
	return { subject, text: text.replace(/\r\n/g, '\n') };
}

/**
 * A local SMTP server on a free loopback port, keeping every mail it is given: what a real
 * mail server would receive from the app's nodemailer client over SMTP_URL.
 */
export async function startSmtpReceiver() {
	const mails: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		// No STARTTLS offered: the client speaks plain SMTP on loopback.
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				mails.push({
					to: session.envelope.rcptTo.map((r) => r.address),
					raw,
					...decodeBody(raw)
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		mails,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
