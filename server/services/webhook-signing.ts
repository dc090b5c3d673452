import { createHmac, randomBytes } from 'node:crypto';

/** Random bytes in a new secret (Standard Webhooks: 24 to 64). */
export const SECRET_BYTES = 32;
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` + base64 of SECRET_BYTES random bytes. */
export function generateSecret(): string {
	return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The key bytes of a `whsec_…` secret. */
export function secretBytes(secret: string): Buffer {
	if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ secret');
	return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for one secret. */
export function signature(key: Uint8Array, id: string, timestampSeconds: number, body: string) {
	const mac = createHmac('sha256', key)
		.update(`${id}.${timestampSeconds}.${body}`)
		.digest('base64');
	return `v1,${mac}`;
}

/**
 * The three Standard Webhooks headers for one delivery; every given key signs (the current
 * secret, and the previous one in the 24 h after a rotation), space-separated.
 */
export function signedHeaders(
	keys: readonly Uint8Array[],
	id: string,
	timestampSeconds: number,
	body: string
): Record<string, string> {
	return {
		'webhook-id': id,
		'webhook-timestamp': String(timestampSeconds),
		'webhook-signature': keys.map((k) => signature(k, id, timestampSeconds, body)).join(' ')
	};
}

/** The webhook-id of an event: `msg_` and its UUID without dashes. */
export function messageId(eventId: string): string {
	return `msg_${eventId.replaceAll('-', '')}`;
}
