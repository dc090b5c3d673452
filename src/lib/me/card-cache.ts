/**
 * The last card the customer saw, kept in localStorage so "My card" still shows the ID, the QR
 * code and the balance without a connection. Only the card of the signed-in customer is ever
 * read back; logging out should call clearCardCache() so a shared device forgets it.
 */

export const CARD_CACHE_KEY = 'kopek.me.card.v1';

export interface CardOperation {
	id: string;
	/** `release`: cashback credited after a review (held first, issue 18); `expiry`: issue 22. */
	kind: 'payment' | 'refund' | 'release' | 'expiry';
	occurredAt: Date;
	amountKopecks: number;
	rateBp: number;
	cashbackKopecks: number;
	/** The part of the bill paid with cashback (minus it on a refund). */
	redeemedKopecks?: number;
	companyName: string;
	timeZone: string;
}

export interface Card {
	customer: { id: string; name: string; phone: string | null };
	balanceKopecks: number;
	operationCount: number;
	paymentCount: number;
	operations: CardOperation[];
	historyLimit: number;
	/** The TOTP secret (base32) the phone makes redemption codes from; kept for offline use. */
	otpSecret?: string;
	/** Where paying with cashback was locked when loaded (SPEC C16: only where codes failed). */
	redemptionLocks?: RedemptionLock[];
	/** Pending cashback and a balance about to expire (issue 22; dates as sent or as saved). */
	program?: {
		pending: { kopecks: number; availableAt: Date | string }[];
		heldForReviewKopecks: number;
		expiring: { kopecks: number; expiresAt: Date | string } | null;
	};
	loadedAt: Date;
}

export interface RedemptionLock {
	companyId: number;
	companyName: string;
	timeZone: string;
	lockedUntil: Date;
	cause: 'company' | 'platform';
}

function storage(): Storage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		// Storage can be switched off (private mode, site settings): the page still works online.
		return null;
	}
}

export function saveCard(card: Card): void {
	try {
		storage()?.setItem(CARD_CACHE_KEY, JSON.stringify(card));
	} catch {
		/* full or refused: the page still works online */
	}
}

/** The saved card of `customerId`, or null when there is none (or it is someone else's). */
export function loadCard(customerId: string): Card | null {
	const raw = storage()?.getItem(CARD_CACHE_KEY);
	if (!raw) return null;
	try {
		const parsed = JSON.parse(raw) as Card & {
			loadedAt: string;
			operations: { occurredAt: string }[];
		};
		if (parsed?.customer?.id !== customerId || !Array.isArray(parsed.operations)) return null;
		return {
			...parsed,
			loadedAt: new Date(parsed.loadedAt),
			operations: parsed.operations.map((op) => ({ ...op, occurredAt: new Date(op.occurredAt) }))
		} as Card;
	} catch {
		return null;
	}
}

export function clearCardCache(): void {
	try {
		storage()?.removeItem(CARD_CACHE_KEY);
	} catch {
		/* nothing to clear */
	}
}

/** Whichever of the server's card and the saved one is newer (the server's on a tie). */
export function newestCard(server: Card | null, saved: Card | null): Card | null {
	if (!server) return saved;
	if (!saved || saved.customer.id !== server.customer.id) return server;
	return saved.loadedAt.getTime() > server.loadedAt.getTime() ? saved : server;
}
