import { tooManyRequests, waitTextRu } from '../http/too-many-requests';
import { LookupThrottled } from '../services/customer-probes';

/**
 * A call past the company's lookup limit (SPEC C16: payments.sync with unknown customers,
 * a redemption's wrong code or unknown customer): 429 with Retry-After, in the wording of
 * customers.lookup's own refusal. Anything else is passed on.
 */
export function throttledToHttp(error: unknown): never {
	if (error instanceof LookupThrottled)
		throw tooManyRequests(
			`Слишком много проверок клиентов. Повторите через ${waitTextRu(error.retryAfterSeconds)}.`,
			error.retryAfterSeconds
		);
	throw error;
}
