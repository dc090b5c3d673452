import { trpc } from '../trpc';
import {
	getCachedIdentity,
	saveDevice,
	saveIdentity,
	type CachedIdentity,
	type TerminalInfo
} from './identity';

export type TerminalCheck =
	| { kind: 'ok'; identity: CachedIdentity }
	| { kind: 'revoked'; identity: CachedIdentity | null }
	| { kind: 'none' }
	| { kind: 'unreachable' };

function isRevoked(error: unknown): boolean {
	return (error as { message?: string } | null)?.message === 'terminal_revoked';
}

function errorCode(error: unknown): string | undefined {
	return (error as { data?: { code?: string } } | null)?.data?.code;
}

/**
 * Asks the server who this paired terminal is (SPEC C10) and caches it with its company, its
 * device and its cashiers' PIN verifiers, so shifts open offline. A revoked terminal keeps its
 * cache (the unsent operations stay visible) and is marked revoked.
 */
export async function checkTerminal(): Promise<TerminalCheck> {
	let me: Awaited<ReturnType<typeof trpc.terminal.me.query>>;
	try {
		me = await trpc.terminal.me.query(undefined, { signal: AbortSignal.timeout(8000) });
	} catch (error) {
		if (isRevoked(error)) return { kind: 'revoked', identity: await markRevoked() };
		const code = errorCode(error);
		if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') return { kind: 'none' };
		return { kind: 'unreachable' };
	}
	const terminal: TerminalInfo = {
		deviceId: me.deviceId,
		name: me.name,
		idleSeconds: me.idleSeconds,
		cashiers: me.cashiers,
		revoked: false
	};
	await saveDevice(me.company.id, { deviceId: me.deviceId, name: me.name });
	const identity = await saveIdentity({
		userId: `terminal:${me.deviceId}`,
		email: me.name,
		role: 'terminal',
		locale: document.documentElement.lang === 'en' ? 'en' : 'ru',
		company: me.company,
		terminal
	});
	return { kind: 'ok', identity };
}

/** Remembers that the server refused this terminal; returns the updated identity. */
export async function markRevoked(): Promise<CachedIdentity | null> {
	const cached = await getCachedIdentity();
	if (!cached?.terminal) return cached;
	if (cached.terminal.revoked) return cached;
	const { savedAt: _savedAt, ...rest } = cached;
	return saveIdentity({ ...rest, terminal: { ...cached.terminal, revoked: true } });
}
