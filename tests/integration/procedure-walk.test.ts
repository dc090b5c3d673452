import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import type { TerminalPrincipal } from '../../server/auth/terminal';
import type { Role } from '../../server/db/types';
import { authenticate } from '../../server/http/authenticate';
import { requestCookieJar } from '../../server/http/cookie-jar';
import { appRouter, createCaller } from '../../server/root';
import { createIntegrationKey } from '../../server/services/integration-keys';
import type { Access } from '../../server/trpc';
import { useTestDatabase } from './support/db';
import {
	callerAs,
	callerAsTerminal,
	insertTerminal,
	insertCompany,
	insertCustomer,
	insertPartner,
	insertUser
} from './support/fixtures';

/**
 * Walks every procedure of the app router. Each must declare who may call it (meta.access, set
 * by the procedure builders of server/trpc.ts); each non-public one must refuse an anonymous
 * caller, and each role-gated one every other role, before it looks at its input.
 * Public procedures are listed here on purpose, so a new one is a visible decision.
 */
const PUBLIC_PROCEDURES = new Set([
	'auth.me',
	'me.signup',
	'companies.register',
	'companies.lookupInn',
	'devices.pair',
	'passwordReset.request',
	'passwordReset.check',
	'passwordReset.complete'
]);

/**
 * Everything a paired terminal may call (SPEC C10): the counter's work, nothing of the
 * cabinet. `counter` procedures are also the company admin's; `terminal` ones only terminals'.
 */
const TERMINAL_PROCEDURES = new Set([
	'payments.sync',
	'payments.redeemPreview',
	'payments.redeem',
	'customers.lookup',
	'customers.recent',
	'terminal.me',
	'terminal.recentOperations',
	'terminal.shiftReport',
	'terminal.refund'
]);

const ROLES: Role[] = ['operator', 'partner', 'company', 'customer'];

type AnyProcedure = { _def: { meta?: { access?: Access }; type: string } };
const procedures = Object.entries(
	(appRouter as unknown as { _def: { procedures: Record<string, AnyProcedure> } })._def.procedures
);

const t = useTestDatabase();
const users = {} as Record<Role, SessionUser>;
let terminal: TerminalPrincipal;
/** An integration key's secret (issue 20): it authenticates only /api/v1, never a procedure. */
let integrationKey: string;

beforeAll(async () => {
	await insertPartner(t.db, 1, 5);
	const companyId = await insertCompany(t.db, { partnerId: 1 });
	await insertCustomer(t.db, '123455');
	users.operator = await insertUser(t.db, 'operator');
	users.partner = await insertUser(t.db, 'partner', { partnerId: 1 });
	users.company = await insertUser(t.db, 'company', { companyId });
	users.customer = await insertUser(t.db, 'customer', { customerId: '123455' });
	terminal = await insertTerminal(t.db, companyId);
	const key = await createIntegrationKey(t.db, {
		companyId,
		name: 'Касса 1С',
		terminalId: null,
		userId: users.company.id
	});
	if (!key.ok) throw new Error('no key');
	integrationKey = key.key.secret;
});

/**
 * A caller as the HTTP endpoint makes it for a request that carries only
 * `Authorization: Bearer <integration key>`: the principal comes from cookies alone.
 */
async function callAsIntegrationKey(path: string): Promise<string> {
	const request = new Request('http://kopek.test/api/trpc/' + path, {
		method: 'POST',
		headers: { authorization: `Bearer ${integrationKey}` }
	});
	const principal = await authenticate(
		t.db,
		requestCookieJar(request.headers.get('cookie'), new URL(request.url)),
		new URL(request.url)
	);
	const caller = createCaller({
		db: t.db,
		ip: '127.0.0.1',
		request,
		user: principal.user,
		session: principal.session,
		terminal: principal.terminal
	}) as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
	const [router, name] = path.split('.') as [string, string];
	try {
		await caller[router]![name]!(undefined);
		return 'OK';
	} catch (error) {
		if (error instanceof TRPCError) return error.code;
		throw error;
	}
}

async function call(
	user: SessionUser | TerminalPrincipal | null,
	path: string,
	type: string
): Promise<string> {
	const caller = (user && 'deviceId' in user
		? callerAsTerminal(t.db, user)
		: await callerAs(t.db, user)) as unknown as Record<
		string,
		Record<string, (input?: unknown) => Promise<unknown>>
	>;
	const [router, name] = path.split('.') as [string, string];
	try {
		const procedure = caller[router]![name]!;
		await procedure(undefined);
		return 'OK';
	} catch (error) {
		if (error instanceof TRPCError) return error.code;
		throw new Error(`${path} (${type}) threw a non-tRPC error: ${String(error)}`);
	}
}

describe('procedure walk', () => {
	it('finds procedures to walk', () => {
		expect(procedures.length).toBeGreaterThan(0);
	});

	it.each(procedures)('%s declares who may call it', (path, procedure) => {
		const access = procedure._def.meta?.access;
		expect(
			access,
			`${path} has no access meta: build it from a procedure of server/trpc.ts`
		).toBeDefined();
		if (access === 'public') {
			expect(
				PUBLIC_PROCEDURES.has(path),
				`${path} is public: add it to PUBLIC_PROCEDURES if that is intended`
			).toBe(true);
		}
	});

	it.each(procedures)('%s is a terminal procedure only if listed', (path, procedure) => {
		const access = procedure._def.meta?.access;
		const forTerminals = access === 'terminal' || access === 'counter';
		expect(forTerminals, `${path} (${access}) vs TERMINAL_PROCEDURES`).toBe(
			TERMINAL_PROCEDURES.has(path)
		);
	});

	it.each(procedures)(
		'%s refuses a terminal credential unless it is the counter’s',
		async (path, procedure) => {
			const access = procedure._def.meta?.access as Access;
			if (access === 'public') return;
			const answer = await call(terminal, path, procedure._def.type);
			if (TERMINAL_PROCEDURES.has(path)) {
				expect(['FORBIDDEN', 'UNAUTHORIZED'], `${path} lets a terminal in`).not.toContain(answer);
			} else {
				expect(answer, `${path} as terminal`).toBe('FORBIDDEN');
			}
		}
	);

	it.each(procedures)('%s refuses an integration key', async (path, procedure) => {
		const access = procedure._def.meta?.access as Access;
		if (access === 'public') return;
		expect(await callAsIntegrationKey(path), `${path} with a Bearer key`).toBe('UNAUTHORIZED');
	});

	it.each(procedures)('%s refuses whoever it must', async (path, procedure) => {
		const access = procedure._def.meta?.access as Access;
		if (access === 'public') return;
		expect(await call(null, path, procedure._def.type)).toBe('UNAUTHORIZED');
		if (access === 'authed') return;
		for (const role of ROLES) {
			if (role === access || (access === 'counter' && role === 'company')) continue;
			expect(await call(users[role], path, procedure._def.type), `${path} as ${role}`).toBe(
				'FORBIDDEN'
			);
		}
	});
});
