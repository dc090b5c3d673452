import { trpc } from '../trpc';
import { forgetDevice, getDevice, saveDevice, type DeviceRecord } from './identity';

type Registration = (name: string | undefined) => Promise<DeviceRecord>;

const serverRegistration: Registration = (name) =>
	trpc.devices.register.mutate(name === undefined ? {} : { name });

/**
 * This browser profile's till for the company: the one it already has, else a new one from the
 * server. One till per profile: two tabs asking at once take turns (Web Locks where the browser
 * has them) and the second finds the first one's till instead of registering another.
 * `name` undefined: the server names it, the next free «Касса N».
 */
export async function ensureTill(
	companyId: number,
	name: string | undefined,
	register: Registration = serverRegistration
): Promise<DeviceRecord> {
	const run = async () => {
		const existing = await getDevice(companyId);
		if (existing) return existing;
		const device = await register(name);
		const record = { deviceId: device.deviceId, name: device.name };
		await saveDevice(companyId, record);
		return record;
	};
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	return locks ? locks.request(`kopek-till-${companyId}`, run) : run();
}

type TillList = () => Promise<{ id: string; revokedAt: Date | string | null }[]>;

/**
 * At the counter's next contact with the server: when the admin retired this profile's till in
 * «Кассы», the profile forgets it and asks for a till again. What its outbox holds keeps its
 * device ID and is still delivered (the server accepts a retired admin till's operations).
 * Returns whether the till was forgotten; no answer changes nothing.
 */
export async function forgetRetiredTill(
	companyId: number,
	deviceId: string,
	list: TillList = () => trpc.devices.list.query()
): Promise<boolean> {
	let tills;
	try {
		tills = await list();
	} catch {
		return false;
	}
	const mine = tills.find((d) => d.id === deviceId);
	if (!mine?.revokedAt) return false;
	await forgetDevice(companyId, deviceId);
	return true;
}
