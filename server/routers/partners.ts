import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { validateInn } from '../../src/lib/domain/inn';
import {
	PARTNER_REGISTRATION_FIELDS,
	validatePartnerRegistration,
	type PartnerRegistrationField
} from '../../src/lib/forms/partner-registration';
import { getRegistry } from '../registry';
import { getPartner } from '../repositories/licenses';
import {
	getCompanyOfPartner,
	insertDeviceForPartnerCompany,
	listCompaniesOfPartner,
	listDevicesOfCompany
} from '../repositories/partners';
import { registerCompany } from '../services/registration';
import { lookUpInn, registrySamples } from '../services/registry-lookup';
import { createRouter, partnerProcedure } from '../trpc';

/** A checksum-valid INN; the message is a catalogue key (catalogue/partner.ts). */
const innField = z.string().transform((value, ctx) => {
	const result = validateInn(value);
	if (result.ok) return result.inn;
	ctx.addIssue({ code: 'custom', message: `partner.error.inn.${result.error}` });
	return z.NEVER;
});

const formText = userText({ max: 2000 }).default('');
// The password is taken as typed (never normalised); every other field is user text.
const formSecret = z
	.string()
	.max(2000)
	.transform((password) => password)
	.default('');

/**
 * The "Регистрация нового клиента" form of seed 001: every field a string (missing = empty),
 * checked by src/lib/forms/partner-registration.ts, the rules the browser applies as it is
 * typed. Field errors come back as catalogue keys.
 */
export const registerCompanyInput = z
	.object(
		Object.fromEntries(
			PARTNER_REGISTRATION_FIELDS.map((field) => [
				field,
				field === 'password' ? formSecret : formText
			])
		) as Record<PartnerRegistrationField, typeof formText>
	)
	.transform((form, ctx) => {
		const result = validatePartnerRegistration(form);
		if (result.ok) return result.value;
		for (const [field, message] of Object.entries(result.fieldErrors)) {
			ctx.addIssue({ code: 'custom', path: [field], message });
		}
		return z.NEVER;
	});

export const partnersRouter = createRouter({
	/** The "Клиенты" section: the partner, its license balance and its companies. */
	overview: partnerProcedure.query(async ({ ctx }) => {
		const found = await getPartner(ctx.db, ctx.partnerId);
		if (!found) throw new TRPCError({ code: 'FORBIDDEN' });
		// The partner sees its own name and balance, not the operator's summary of it.
		const partner = { id: found.id, name: found.name, licensesAvailable: found.licensesAvailable };
		const companies = await listCompaniesOfPartner(ctx.db, ctx.partnerId);
		const registry = getRegistry().name;
		return { partner, companies, registry, registrySamples: registrySamples() };
	}),

	/**
	 * The state registry's details for an INN. Says nothing about Kopek's own companies: whether
	 * the INN is already a client (of anyone) shows only as the refusal at registration.
	 */
	lookupInn: partnerProcedure
		.input(z.object({ inn: innField }))
		.query(({ input }) => lookUpInn(input.inn)),

	/**
	 * Registers a pending company with its admin account and consumes one license of this
	 * partner (server/services/registration.ts, one transaction). What the registry knows about
	 * the INN — name, KPP, OGRN, director, legal address — wins over what was typed; the typed
	 * values are used only when the registry has no answer.
	 */
	registerCompany: partnerProcedure.input(registerCompanyInput).mutation(async ({ ctx, input }) => {
		const lookup = await lookUpInn(input.inn);
		const official = lookup.status === 'found' ? lookup.company : null;
		const outcome = await registerCompany(ctx.db, {
			email: input.email,
			password: input.password,
			phone: input.phone,
			inviterPartnerId: ctx.partnerId,
			company: {
				inn: input.inn,
				name: official?.name ?? input.name,
				kpp: official ? (official.kpp ?? null) : (input.kpp ?? null),
				ogrn: official ? (official.ogrn ?? null) : (input.ogrn ?? null),
				director_last_name: official?.directorLastName ?? input.directorLastName,
				director_first_name: official?.directorFirstName ?? input.directorFirstName,
				legal_address: official?.legalAddress ?? input.legalAddress ?? null,
				postcode: input.postcode,
				region: input.region,
				city: input.city ?? null,
				settlement: input.settlement ?? null,
				street: input.street,
				house: input.house,
				building: input.building ?? null,
				office: input.office ?? null
			}
		});
		if (outcome.ok) {
			return {
				ok: true as const,
				companyId: outcome.companyId,
				name: official?.name ?? input.name,
				licensesLeft: outcome.licensesLeft
			};
		}
		// The partner is the caller, so it exists: anything else is a broken invariant.
		if (outcome.error === 'inviter_not_found') throw new TRPCError({ code: 'FORBIDDEN' });
		return { ok: false as const, error: outcome.error };
	}),

	/** A company card, with its terminals; null when it is not this partner's company. */
	company: partnerProcedure
		.input(z.object({ companyId: z.number().int().positive().max(2_147_483_647) }))
		.query(async ({ ctx, input }) => {
			const company = await getCompanyOfPartner(ctx.db, ctx.partnerId, input.companyId);
			if (!company) return null;
			const devices = await listDevicesOfCompany(ctx.db, company.id);
			return { company, devices };
		}),

	/** "Зарегистрировать кассу": a counter terminal for one of this partner's companies. */
	registerDevice: partnerProcedure
		.input(
			z.object({
				companyId: z.number().int().positive().max(2_147_483_647),
				name: userText({ min: 1, max: 100 })
			})
		)
		.mutation(async ({ ctx, input }) => {
			const device = await insertDeviceForPartnerCompany(ctx.db, {
				partnerId: ctx.partnerId,
				companyId: input.companyId,
				name: input.name
			});
			return device
				? { ok: true as const, device }
				: { ok: false as const, error: 'company_not_found' as const };
		})
});
