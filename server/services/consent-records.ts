import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { translate, type Locale } from '../../src/lib/i18n';
import type { LegalVersions } from '../../src/lib/legal/document';
import { privacy } from '../../src/lib/legal/privacy';
import { terms } from '../../src/lib/legal/terms';
import type { ConsentPurpose, Database } from '../db/types';
import { insertConsents } from '../repositories/consents';

/**
 * Every consent a form asks for: its purpose, the catalogue keys of its wording, and the legal
 * document it refers to (whose whole text in the shown language is part of the version).
 */
const CONSENT_FORMS = {
	/** /signup: required. */
	signupPersonalData: {
		purpose: 'personal_data',
		wording: ['privacy.consent.personalData', 'privacy.consent.personalData.link'],
		document: ['privacy', privacy]
	},
	/** /signup: optional, separate. */
	signupMarketing: {
		purpose: 'marketing',
		wording: ['privacy.consent.marketing'],
		document: null
	},
	/** /register: both required (seed 000). */
	registerTerms: {
		purpose: 'terms',
		wording: ['register.consentTerms', 'register.consentTermsLink'],
		document: ['terms', terms]
	},
	registerPrivacy: {
		purpose: 'personal_data',
		wording: ['register.consentPrivacy', 'register.consentPrivacyLink'],
		document: ['privacy', privacy]
	}
} satisfies Record<
	string,
	{
		purpose: ConsentPurpose;
		wording: string[];
		document: [string, LegalVersions] | null;
	}
>;

export type ConsentForm = keyof typeof CONSENT_FORMS;

export interface ConsentVersion {
	purpose: ConsentPurpose;
	/** Which text: the document and its date, or the wording alone. */
	document: string;
	/** SHA-256 (hex) of exactly what the person was shown: the wording and the document. */
	textHash: string;
}

/**
 * The version of a consent as shown in `locale` now. Any change of the wording or of the
 * linked document changes the hash, so a record always tells which text was accepted.
 */
export function consentVersion(form: ConsentForm, locale: Locale): ConsentVersion {
	const spec: {
		purpose: ConsentPurpose;
		wording: string[];
		document: [string, LegalVersions] | null;
	} = CONSENT_FORMS[form];
	const doc = spec.document ? spec.document[1][locale] : null;
	const shown = JSON.stringify({
		purpose: spec.purpose,
		locale,
		wording: spec.wording.map((key) => translate(locale, key)),
		document: doc
	});
	return {
		purpose: spec.purpose,
		document: spec.document ? `${spec.document[0]}@${doc!.updated}` : `${form}@wording`,
		textHash: createHash('sha256').update(shown).digest('hex')
	};
}

/** Where a consent came from: the request's address and browser. */
export interface ConsentOrigin {
	ip: string | null;
	userAgent: string | null;
}

/** The user agent of a request, cut to what the record keeps. */
export function userAgentOf(request: Request | undefined): string | null {
	const agent = request?.headers.get('user-agent') ?? null;
	return agent ? agent.slice(0, 1000) : null;
}

/**
 * Records the consents given on one form, inside the caller's transaction (with the account
 * they belong to, so there is never an account without its consent or the reverse).
 */
export async function recordConsents(
	trx: Transaction<Database>,
	input: {
		forms: ConsentForm[];
		subject: { customerId: string } | { companyId: number };
		userId: string | null;
		locale: Locale;
		origin: ConsentOrigin;
	}
): Promise<void> {
	if (input.forms.length === 0) return;
	await insertConsents(
		trx,
		input.forms.map((form) => {
			const version = consentVersion(form, input.locale);
			return {
				purpose: version.purpose,
				customer_id: 'customerId' in input.subject ? input.subject.customerId : null,
				company_id: 'companyId' in input.subject ? input.subject.companyId : null,
				user_id: input.userId,
				document: version.document,
				locale: input.locale,
				text_hash: version.textHash,
				ip: input.origin.ip,
				user_agent: input.origin.userAgent
			};
		})
	);
}
