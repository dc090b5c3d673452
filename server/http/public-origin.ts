import { networkInterfaces } from 'node:os';

type Interfaces = ReturnType<typeof networkInterfaces>;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Whether an origin only reaches the machine it is opened on (localhost, 127.x, ::1). */
export function isLoopbackOrigin(origin: string): boolean {
	return LOOPBACK.test(new URL(origin).hostname);
}

/**
 * The address a tablet in the shop opens Kopek at, for the pairing link and its QR code:
 * `ORIGIN` when set (the public origin behind a proxy, as adapter-node reads it); else the
 * origin the owner's browser used, unless that is the server itself (`localhost`, which a
 * tablet cannot reach): then the server's first address on the shop network, same protocol
 * and port. `loopback` says a tablet still cannot reach it (no network address found).
 */
export function publicOrigin(
	requestOrigin: string,
	env: Record<string, string | undefined> = process.env,
	interfaces: () => Interfaces = networkInterfaces
): { origin: string; loopback: boolean } {
	const configured = env.ORIGIN?.trim();
	if (configured) {
		try {
			return { origin: new URL(configured).origin, loopback: isLoopbackOrigin(configured) };
		} catch {
			/* not a URL: adapter-node refuses to start with it; fall back to the request */
		}
	}
	if (!isLoopbackOrigin(requestOrigin)) return { origin: requestOrigin, loopback: false };
	const lan = Object.values(interfaces())
		.flat()
		.find((a) => a && a.family === 'IPv4' && !a.internal);
	if (!lan) return { origin: requestOrigin, loopback: true };
	const url = new URL(requestOrigin);
	url.hostname = lan.address;
	return { origin: url.origin, loopback: false };
}
