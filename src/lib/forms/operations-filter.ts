/** The «Касса» / «Кассир» filter of the operations list (SPEC C10), in the URL. */
export interface OperationsFilter {
	deviceId?: string;
	/** A cashier's ID, or `admin` for the admin's own operations. */
	cashierId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads `device` and `cashier`; anything malformed is ignored (no filter), never an error. */
export function filterFromParams(params: URLSearchParams): OperationsFilter | undefined {
	const device = params.get('device') ?? '';
	const cashier = params.get('cashier') ?? '';
	const filter: OperationsFilter = {};
	if (UUID.test(device)) filter.deviceId = device.toLowerCase();
	if (cashier === 'admin' || UUID.test(cashier)) filter.cashierId = cashier.toLowerCase();
	return filter.deviceId || filter.cashierId ? filter : undefined;
}

/** The filter as URL parameters (empty when there is none). */
export function filterToParams(filter: OperationsFilter | undefined): string {
	const params = new URLSearchParams();
	if (filter?.deviceId) params.set('device', filter.deviceId);
	if (filter?.cashierId) params.set('cashier', filter.cashierId);
	return params.toString();
}
