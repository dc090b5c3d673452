import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import superjson from 'superjson';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { createSession, sessionIdFromToken } from '../../server/auth/session';
import { appRouter } from '../../server/root';
import type { Context } from '../../server/trpc';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { insertDevice, insertPayment } from './support/cabinets-fixtures';
import {
	callerAs,
	insertCompany,
	insertCustomer,
	insertPartner,
	insertUser
} from './support/fixtures';

/** NUL, a right-to-left override and a lone surrogate: each must be refused, never stored. */
const POISONS = [
	['NUL', '\u0000'],
	['U+202E', '\u202E'],
	['lone surrogate', '\uD800']
] as const;

const TABLES = [
	'users',
	'companies',
	'customers',
	'devices',
	'operations',
	'partners',
	'company_documents',
	'company_rates',
	'license_ledger',
	'pairing_codes',
	'cashiers'
] as const;

const t = useTestDatabase();
const ctxOf: Record<string, Context> = {};
let deviceId: string;
let paymentId: string;
let pendingCompanyId: number;
let partnerCompanyId: number;

async function contextFor(user: SessionUser): Promise<Context> {
	const { token, expiresAt } = await createSession(t.db, user.id);
	return { db: t.db, user, session: { id: sessionIdFromToken(token), expiresAt }, ip: '127.0.0.1' };
}

beforeAll(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	await insertPartner(t.db, 1, 10);
	const companyId = await insertCompany(t.db, { rateBp: 1000 });
	deviceId = await insertDevice(t.db, companyId);
	paymentId = await insertPayment(t.db, {
		companyId,
		deviceId,
		customerId: '123455',
		amountKopecks: 100_00,
		rateBp: 1000,
		occurredAt: new Date(Date.now() - 60_000)
	});
	pendingCompanyId = await insertCompany(t.db, { status: 'pending' });
	await insertPartner(t.db, 7, 10);
	partnerCompanyId = await insertCompany(t.db, { partnerId: 7 });
	ctxOf.company = await contextFor(await insertUser(t.db, 'company', { companyId }));
	ctxOf.pending = await contextFor(
		await insertUser(t.db, 'company', { companyId: pendingCompanyId })
	);
	ctxOf.operator = await contextFor(await insertUser(t.db, 'operator'));
	ctxOf.partner = await contextFor(await insertUser(t.db, 'partner', { partnerId: 7 }));
	ctxOf.anonymous = { db: t.db, user: null, session: null, ip: '127.0.0.1' };
});

/** Every row of the tables a text input could reach, as one comparable value. */
async function snapshot(): Promise<string> {
	const parts: string[] = [];
	for (const table of TABLES) {
		const row = await sql<{ n: number; h: string | null }>`
			select count(*)::int as n, md5(string_agg(x::text, '|' order by x::text)) as h
			from ${sql.table(table)} x`.execute(t.db);
		parts.push(`${table}:${row.rows[0]!.n}:${row.rows[0]!.h}`);
	}
	return parts.join(' ');
}

async function call(kind: 'query' | 'mutation', path: string, input: unknown, ctx: Context) {
	const encoded = JSON.stringify(superjson.serialize(input));
	const req =
		kind === 'query'
			? new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(encoded)}`)
			: new Request(`http://localhost/api/trpc/${path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: encoded
				});
	const response = await fetchRequestHandler({
		endpoint: '/api/trpc',
		req,
		router: appRouter,
		createContext: () => ctx,
		onError: () => {}
	});
	const body = (await response.json()) as {
		error?: { json: { data: { code: string; fieldErrors: Record<string, string[]> | null } } };
	};
	return { status: response.status, error: body.error?.json.data };
}

interface Case {
	path: string;
	kind: 'query' | 'mutation';
	as: keyof typeof ctxOf | 'company' | 'pending' | 'operator' | 'partner' | 'anonymous';
	/** A valid input; `field` gets the poison. */
	input: () => Record<string, unknown>;
	fields: string[];
}

const partnerForm = {
	inn: '1655012344',
	name: 'ООО Ромашка',
	kpp: '',
	ogrn: '',
	directorLastName: 'Иванов',
	directorFirstName: 'Иван',
	legalAddress: 'г. Казань',
	postcode: '420000',
	region: 'Татарстан',
	city: 'Казань',
	settlement: '',
	street: 'Баумана',
	house: '1',
	building: '',
	office: '',
	phone: '911-111-1111',
	email: 'romashka@example.test',
	password: 'очень-длинный-пароль-2026'
};

const CASES: Case[] = [
	{
		path: 'devices.register',
		kind: 'mutation',
		as: 'company',
		input: () => ({ name: 'Касса 2' }),
		fields: ['name']
	},
	{
		path: 'devices.createPairingCode',
		kind: 'mutation',
		as: 'company',
		input: () => ({ name: 'Касса 3' }),
		fields: ['name']
	},
	{
		path: 'cashiers.create',
		kind: 'mutation',
		as: 'company',
		input: () => ({ name: 'Анна', pin: '1111', active: true, canRefund: false }),
		fields: ['name']
	},
	{
		path: 'customers.lookup',
		kind: 'query',
		as: 'company',
		input: () => ({ customerId: '123455' }),
		fields: ['customerId']
	},
	{
		path: 'companies.register',
		kind: 'mutation',
		as: 'anonymous',
		input: () => ({
			inn: '5406024682',
			companyName: 'ООО «Лавка»',
			email: 'new@example.test',
			phone: '911-111-1112',
			password: 'очень-длинный-пароль-2026',
			passwordRepeat: 'очень-длинный-пароль-2026',
			inviterId: '1',
			consentTerms: true,
			consentPrivacy: true
		}),
		fields: ['inn', 'companyName', 'email', 'phone', 'inviterId']
	},
	{
		path: 'companies.updateProfile',
		kind: 'mutation',
		as: 'company',
		input: () => ({
			name: 'Albixe',
			city: 'Казань',
			country: 'Россия',
			phone: '911-111-1111',
			timeZone: 'Europe/Moscow'
		}),
		fields: ['name', 'city', 'country', 'phone']
	},
	{
		path: 'companies.changeEmail',
		kind: 'mutation',
		as: 'company',
		input: () => ({ email: 'other@example.test', password: 'fixture-password-1' }),
		fields: ['email']
	},
	{
		path: 'companies.refund',
		kind: 'mutation',
		as: 'company',
		input: () => ({ operationId: paymentId, reason: 'Товар возвращён' }),
		fields: ['reason']
	},
	{
		path: 'operator.reject',
		kind: 'mutation',
		as: 'operator',
		input: () => ({ companyId: pendingCompanyId, reason: 'Нет печати\nна договоре' }),
		fields: ['reason']
	},
	{
		path: 'operator.renameCompany',
		kind: 'mutation',
		as: 'operator',
		input: () => ({ companyId: pendingCompanyId, name: 'Ромашка' }),
		fields: ['name']
	},
	{
		path: 'operator.createPartner',
		kind: 'mutation',
		as: 'operator',
		input: () => ({
			name: 'Агент',
			email: 'agent@example.test',
			password: 'очень-длинный-пароль-2026',
			licenses: 1
		}),
		fields: ['name', 'email']
	},
	{
		path: 'operator.grantLicenses',
		kind: 'mutation',
		as: 'operator',
		input: () => ({ partnerId: 7, count: 1, note: 'по договору' }),
		fields: ['note']
	},
	{
		path: 'partners.registerCompany',
		kind: 'mutation',
		as: 'partner',
		input: () => ({ ...partnerForm }),
		fields: Object.keys(partnerForm).filter((f) => f !== 'password')
	},
	{
		path: 'partners.registerDevice',
		kind: 'mutation',
		as: 'partner',
		input: () => ({ companyId: partnerCompanyId, name: 'Касса 3' }),
		fields: ['name']
	},
	{
		path: 'me.signup',
		kind: 'mutation',
		as: 'anonymous',
		input: () => ({
			name: 'Петров Пётр',
			phone: '911-111-1113',
			email: 'petrov@example.test',
			password: 'очень-длинный-пароль-2026',
			consentPersonalData: true
		}),
		fields: ['name', 'phone', 'email']
	}
];

describe('text hygiene: a poisoned text field is a 400 with a field error, nothing stored', () => {
	for (const c of CASES) {
		for (const field of c.fields) {
			it.each(POISONS)(`${c.path} ${field}: %s`, async (_, poison) => {
				const before = await snapshot();
				const input = c.input();
				const valid = String(input[field] ?? '');
				input[field] =
					valid === '' ? `x${poison}` : `${valid.slice(0, 1)}${poison}${valid.slice(1)}`;
				const { status, error } = await call(c.kind, c.path, input, ctxOf[c.as]!);
				expect(status).toBe(400);
				expect(error?.code).toBe('BAD_REQUEST');
				expect(Object.keys(error?.fieldErrors ?? {})).toContain(field);
				expect(await snapshot()).toBe(before);
			});
		}
	}

	it.each(POISONS)(
		'payments.sync customerId: %s fails the call with 400, stores nothing',
		async (_, poison) => {
			const before = await snapshot();
			const operation = (customerId: string) => ({
				id: uuidv7(),
				customerId,
				amountKopecks: 500_00,
				occurredAt: new Date(Date.now() - 1000).toISOString()
			});
			const { status, error } = await call(
				'mutation',
				'payments.sync',
				{ deviceId, operations: [operation('123455'), operation(`1234${poison}55`)] },
				ctxOf.company!
			);
			expect(status).toBe(400);
			expect(error?.code).toBe('BAD_REQUEST');
			expect(Object.keys(error?.fieldErrors ?? {})).toContain('operations');
			expect(await snapshot()).toBe(before);
		}
	);

	it.each(POISONS)(
		'companies.uploadDocument fileName: %s is refused, nothing stored',
		async (_, poison) => {
			const api = await callerAs(t.db, ctxOf.pending!.user);
			const before = await snapshot();
			const pdf = new TextEncoder().encode(
				'%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'
			);
			const error = await api.companies
				.uploadDocument({ fileName: `договор${poison}fdp.exe`, content: pdf })
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(TRPCError);
			expect((error as TRPCError).code).toBe('BAD_REQUEST');
			expect(await snapshot()).toBe(before);
		}
	);

	it('clean text with tabs and line breaks where allowed is stored NFC-normalised and trimmed', async () => {
		const { status } = await call(
			'mutation',
			'devices.register',
			{ name: '  Касса \u0438\u0306 ' },
			ctxOf.company!
		);
		expect(status).toBe(200);
		const names = await t.db.selectFrom('devices').select('name').execute();
		expect(names.map((d) => d.name)).toContain('Касса \u0439');
	});

	it('a login with a poisoned e-mail is a wrong login, not a server error', async () => {
		const { logIn } = await import('../../server/auth/login');
		for (const [, poison] of POISONS) {
			const outcome = await logIn(t.db, {
				email: `a${poison}@example.test`,
				password: 'x',
				ip: '127.0.0.1'
			});
			expect(outcome).toEqual({ ok: false, error: 'invalid_credentials' });
		}
	});
});
