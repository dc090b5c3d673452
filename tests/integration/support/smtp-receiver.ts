import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { decodeMail } from './mail-text';

/** One mail as the receiver got it: envelope recipients and the decoded text body. */
export interface ReceivedMail {
	to: string[];
	raw: string;
	subject: string;
	text: string;
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
					...decodeMail(raw)
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
