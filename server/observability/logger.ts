import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The server's structured log: one JSON line per event on stdout (pino). The level comes
 * from KOPEK_LOG_LEVEL (default `info`; `silent` turns it off). Nothing secret is logged by
 * construction: request lines carry the path without its query, never headers, cookies or
 * bodies; the redaction below is a second line of defence for any object logged by mistake.
 */
export function createLogger(destination?: DestinationStream): Logger {
	return pino(
		{
			level: process.env.KOPEK_LOG_LEVEL ?? 'info',
			base: undefined,
			redact: {
				paths: [
					'password',
					'*.password',
					'token',
					'*.token',
					'cookie',
					'*.cookie',
					'authorization',
					'*.authorization',
					'headers',
					'*.headers',
					'pin',
					'*.pin'
				],
				censor: '[redacted]'
			}
		},
		destination
	);
}

export const logger: Logger = createLogger();
