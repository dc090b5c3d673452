import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane. */
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Hashes a password with argon2id (the algorithm is the library default, 2 = Argon2id). */
export async function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFC'), { ...ARGON2_OPTIONS, algorithm: 2 });
}

/** Verifies in constant time; a malformed stored hash counts as a mismatch. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password.normalize('NFC'));
	} catch {
		return false;
	}
}

/** A real hash to verify against when the account does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export function getDummyHash(): Promise<string> {
	dummyHash ??= hashPassword('kopek-dummy-password-for-timing');
	return dummyHash;
}
