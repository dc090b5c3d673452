import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption of small secrets at rest: AES-256-GCM, a random 96-bit nonce per
 * message, and associated data that binds a ciphertext to its owner (a row copied to another
 * customer does not decrypt). Stored as `v1.<base64 nonce|ciphertext|tag>`.
 */
const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function sealSecret(key: Buffer, plaintext: Uint8Array, associatedData: string): string {
	const nonce = randomBytes(NONCE_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key, nonce);
	cipher.setAAD(Buffer.from(associatedData, 'utf8'));
	const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
	const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]);
	return `${VERSION}.${sealed.toString('base64')}`;
}

/** The plaintext of a sealed secret; throws when the key, the owner or the bytes differ. */
export function openSecret(key: Buffer, sealed: string, associatedData: string): Uint8Array {
	const [version, body] = sealed.split('.', 2);
	if (version !== VERSION || !body) throw new Error('unknown sealed secret format');
	const bytes = Buffer.from(body, 'base64');
	if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed secret too short');
	const nonce = bytes.subarray(0, NONCE_BYTES);
	const tag = bytes.subarray(bytes.length - TAG_BYTES);
	const decipher = createDecipheriv('aes-256-gcm', key, nonce);
	decipher.setAAD(Buffer.from(associatedData, 'utf8'));
	decipher.setAuthTag(tag);
	const plain = Buffer.concat([
		decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
		decipher.final()
	]);
	return new Uint8Array(plain);
}
