import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { openSecret, sealSecret } from '../crypto/secret-box';
import type { Database } from '../db/types';
import * as repo from '../repositories/webhook-endpoints';
import type { Scope } from '../repositories/webhook-endpoints';
import { COMPANY_EVENTS, PLATFORM_EVENTS } from './webhook-events';
import { generateSecret } from './webhook-signing';
import { urlRefusal, type GuardOptions, type UrlRefusal } from './webhook-ssrf';

/** The previous secret keeps signing this long after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;
/** Endpoints per company (or for the platform). */
export const MAX_ENDPOINTS = 10;

/** What a sealed secret is bound to (crypto/secret-box.ts associated data). */
export function endpointOwner(endpointId: string): string {
	return `webhook-endpoint:${endpointId}`;
}

export type CreateError = UrlRefusal | 'no_events' | 'unknown_event' | 'too_many';

export function allowedEvents(scope: Scope): readonly string[] {
	return scope === null ? PLATFORM_EVENTS : COMPANY_EVENTS;
}

/**
 * A new endpoint: its URL checked by the SSRF guard, its events among those its scope may
 * choose, a fresh `whsec_` secret sealed at rest; the secret is returned this once only.
 */
export async function createEndpoint(
	db: Kysely<Database>,
	key: Buffer,
	input: { scope: Scope; url: string; description: string; events: string[] },
	guard: GuardOptions
): Promise<{ ok: true; id: string; secret: string } | { ok: false; error: CreateError }> {
	const events = [...new Set(input.events)];
	if (events.length === 0) return { ok: false, error: 'no_events' };
	const allowed = allowedEvents(input.scope);
	if (events.some((e) => !allowed.includes(e))) return { ok: false, error: 'unknown_event' };
	const refusal = await urlRefusal(input.url, guard);
	if (refusal) return { ok: false, error: refusal };
	if ((await repo.listEndpoints(db, input.scope)).length >= MAX_ENDPOINTS)
		return { ok: false, error: 'too_many' };
	const id = randomUUID();
	const secret = generateSecret();
	await repo.insertEndpoint(db, {
		id,
		scope: input.scope,
		url: input.url,
		description: input.description.trim(),
		events,
		secretSealed: sealSecret(key, new TextEncoder().encode(secret), endpointOwner(id))
	});
	return { ok: true, id, secret };
}

/**
 * A new secret (returned this once); the current one becomes the previous one and keeps
 * signing alongside for ROTATION_OVERLAP_MS.
 */
export async function rotateEndpointSecret(
	db: Kysely<Database>,
	key: Buffer,
	input: { scope: Scope; endpointId: string; now?: Date }
): Promise<{ secret: string; previousUntil: Date } | null> {
	const endpoint = await repo.getEndpoint(db, input.scope, input.endpointId);
	if (!endpoint) return null;
	const owner = endpointOwner(endpoint.id);
	// Re-sealed (checks the stored one opens with this key and owner).
	const current = openSecret(key, endpoint.secret_sealed, owner);
	const secret = generateSecret();
	const previousUntil = new Date((input.now ?? new Date()).getTime() + ROTATION_OVERLAP_MS);
	const ok = await repo.rotateSecret(db, input.scope, endpoint.id, {
		sealed: sealSecret(key, new TextEncoder().encode(secret), owner),
		previousSealed: sealSecret(key, current, owner),
		previousUntil
	});
	return ok ? { secret, previousUntil } : null;
}

/** «Отправить тестовое событие»: a `webhook.test` event to this endpoint only. */
export async function sendTestEvent(
	db: Kysely<Database>,
	input: { scope: Scope; endpointId: string }
): Promise<string | null> {
	const endpoint = await repo.getEndpoint(db, input.scope, input.endpointId);
	if (!endpoint) return null;
	return repo.insertTestEvent(db, {
		scope: input.scope,
		endpointId: endpoint.id,
		data: { endpointId: endpoint.id, message: 'Kopek test event' }
	});
}

/** «Отправить снова»: one delivery of one of the scope's endpoints due again now. */
export async function resend(
	db: Kysely<Database>,
	input: { scope: Scope; endpointId: string; deliveryId: number }
): Promise<boolean> {
	const endpoint = await repo.getEndpoint(db, input.scope, input.endpointId);
	if (!endpoint) return false;
	return repo.resendDelivery(db, endpoint.id, input.deliveryId);
}

/** The delivery log of one of the scope's endpoints (null: no such endpoint). */
export async function deliveryLog(
	db: Kysely<Database>,
	input: {
		scope: Scope;
		endpointId: string;
		type?: string;
		status?: 'pending' | 'delivered' | 'failed';
	}
) {
	const endpoint = await repo.getEndpoint(db, input.scope, input.endpointId);
	if (!endpoint) return null;
	return repo.listDeliveries(db, {
		endpointId: endpoint.id,
		type: input.type,
		status: input.status,
		limit: 100
	});
}
