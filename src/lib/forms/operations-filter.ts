/** The «Касса» / «Кассир» filter and the customer search of the operations list, in the URL. */
export interface OperationsFilter {
	deviceId?: string;
	/** A cashier's ID, or `admin` for the admin's own operations. */
	cashierId?: string;
	/** «Поиск клиента»: the start of a customer ID or part of the name. */
	customer?: string;
}

/** Longest search text kept (the server takes no more). */
const MAX_SEARCH = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads `device`, `cashier` and `q`; anything malformed is ignored (no filter), never an error.
 */
export function filterFromParams(params: URLSearchParams): OperationsFilter | undefined {
	const device = params.get('device') ?? '';
	const cashier = params.get('cashier') ?? '';
	const filter: OperationsFilter = {};
	if (UUID.test(device)) filter.deviceId = device.toLowerCase();
	if (cashier === 'admin' || UUID.test(cashier)) filter.cashierId = cashier.toLowerCase();
	const customer = (params.get('q') ?? '').trim().slice(0, MAX_SEARCH);
	if (customer !== '') filter.customer = customer;
	return filter.deviceId || filter.cashierId || filter.customer ? filter : undefined;
}

/** The filter as URL parameters (empty when there is none). */
export function filterToParams(filter: OperationsFilter | undefined): string {
	const params = new URLSearchParams();
	if (filter?.deviceId) params.set('device', filter.deviceId);
	if (filter?.cashierId) params.set('cashier', filter.cashierId);
	if (filter?.customer) params.set('q', filter.customer);
	return params.toString();
}
