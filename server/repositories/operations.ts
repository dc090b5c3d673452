import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

/** What a device says about a payment; the server adds rate, cashback and recordedAt. */
export interface OperationContent {
	companyId: number;
	deviceId: string;
	customerId: string;
	amountKopecks: number;
	occurredAt: Date;
}

/**
 * Hash of an operation's content as sent. The same ID with the same hash is a duplicate (a
 * retry); the same ID with another hash is a conflict. The company is part of the content, so
 * an ID reused by another company is always a conflict.
 */
export function contentHash(op: OperationContent): string {
	const canonical = [
		'v1',
		op.companyId,
		op.deviceId.toLowerCase(),
		op.customerId,
		op.amountKopecks,
		op.occurredAt.toISOString()
	].join('|');
	return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical)));
}
