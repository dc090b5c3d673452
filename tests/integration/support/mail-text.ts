/**
 * The subject and text of a single-part mail as it travels (RFC 5322, the .eml the file mailer
 * writes or what an SMTP server receives), undoing its transfer encoding (quoted-printable,
 * base64 or none: 8bit). Enough for the mails Kopek sends; not a general MIME parser.
 */
export function decodeMail(raw: string): { subject: string; text: string } {
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
