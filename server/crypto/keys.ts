import { getConfig } from '../config';
import { loadSecretKey } from './secret-key';

let cached: Buffer | undefined;

/** The process's key for secrets at rest, loaded once (see secret-key.ts for where from). */
export function getSecretKey(): Buffer {
	cached ??= loadSecretKey(getConfig());
	return cached;
}
