// Reads a password for the CLI (scripts/kopek.ts): typed at a terminal without echo, or the
// first line of what is piped in (`printf '%s\n' "$PASSWORD" | npm run kopek -- …`).

/** Thrown when the person at the terminal gives up (Ctrl-C, Ctrl-D). */
export class SecretAborted extends Error {}

/** The first line of piped standard input, without its line ending; never trimmed. */
export async function readPipedSecret(stdin: NodeJS.ReadableStream = process.stdin) {
	let text = '';
	for await (const chunk of stdin) {
		text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
		if (text.includes('\n')) break;
	}
	return text.split(/\r?\n/)[0] ?? '';
}

/** Asks at the terminal with echo off: nothing typed is shown, backspace works. */
export function promptSecret(question: string): Promise<string> {
	const stdin = process.stdin;
	const stderr = process.stderr;
	return new Promise((resolve, reject) => {
		let typed = '';
		const done = (outcome: () => void) => {
			stdin.setRawMode(false);
			stdin.pause();
			stdin.off('data', onData);
			stderr.write('\n');
			outcome();
		};
		const onData = (data: string) => {
			// A paste arrives as one chunk: take it character by character.
			for (const char of data) {
				if (char === '\r' || char === '\n') return done(() => resolve(typed));
				if (char === '\u0003' || char === '\u0004')
					return done(() => reject(new SecretAborted('aborted')));
				if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
				else if (char >= ' ') typed += char;
			}
		};
		// Echo off before the question: what is typed as soon as it shows is not echoed either.
		stdin.setRawMode(true);
		stdin.setEncoding('utf8');
		stdin.on('data', onData);
		stdin.resume();
		stderr.write(question);
	});
}
