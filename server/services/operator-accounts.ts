import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/password';
import type { Database, Role } from '../db/types';
import { checkPassword, normalizeEmail, type PasswordError } from '../../src/lib/domain';
import { findRoleByEmail, insertOperator } from '../repositories/user-accounts';

export type NewOperatorProblem =
	| { field: 'email'; error: 'empty' | 'format' }
	| { field: 'email'; error: 'taken'; role: Role; email: string }
	| { field: 'password'; error: PasswordError };

/**
 * Creates an operator account (the first one of a real install comes from `npm run kopek --
 * operator create`). The same rules as every other account: the e-mail's one canonical form,
 * the password policy of sign-up (src/lib/domain/password.ts) and the app's argon2id hash.
 * An e-mail that already has an account is refused and that account is left as it is.
 */
export async function createOperator(
	db: Kysely<Database>,
	input: { email: string; password: string }
): Promise<
	{ ok: true; userId: string; email: string } | { ok: false; problems: NewOperatorProblem[] }
> {
	const problems: NewOperatorProblem[] = [];
	const email = normalizeEmail(input.email);
	if (!email.ok) problems.push({ field: 'email', error: email.error });
	const policy = checkPassword(input.password, { email: email.ok ? email.email : undefined });
	if (!policy.ok) problems.push({ field: 'password', error: policy.error });
	if (!email.ok || problems.length > 0) return { ok: false, problems };

	const taken = await findRoleByEmail(db, email.email);
	if (taken) {
		return {
			ok: false,
			problems: [{ field: 'email', error: 'taken', role: taken, email: email.email }]
		};
	}
	const created = await insertOperator(db, {
		email: email.email,
		passwordHash: await hashPassword(input.password)
	});
	if (!created) {
		// Created by someone else between the check and the insert.
		const role = (await findRoleByEmail(db, email.email)) ?? 'operator';
		return { ok: false, problems: [{ field: 'email', error: 'taken', role, email: email.email }] };
	}
	return { ok: true, userId: created.id, email: email.email };
}
