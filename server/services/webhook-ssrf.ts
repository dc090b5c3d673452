import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard (SPEC C14): a webhook URL may not reach the server's own network. Refused:
 * loopback, private (RFC 1918, unique-local), link-local (with the cloud metadata address
 * 169.254.169.254), carrier-grade NAT, multicast, unspecified, reserved and broadcast ranges,
 * IPv4 in IPv6 forms of them, and names resolving to any of them. Checked when an endpoint is
 * saved and again for every delivery — at connect time, on the address actually connected to
 * (guardedLookup), so a name re-pointed between check and send (DNS rebinding) is refused too.
 * KOPEK_WEBHOOKS_ALLOW_PRIVATE=1 turns it off for a self-hosted network (and the tests).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['224.0.0.0', 4],
	['240.0.0.0', 4]
] as const)
	blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
	['::', 128],
	['::1', 128],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8],
	['64:ff9b::', 96],
	['100::', 64],
	['fd00:ec2::', 32]
] as const)
	blocked.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is one a webhook may not be sent to. */
export function isForbiddenAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 4) return blocked.check(address, 'ipv4');
	if (family !== 6) return true;
	const lower = address.toLowerCase();
	// IPv4-mapped (::ffff:a.b.c.d / ::ffff:7f00:1) and IPv4-compatible forms: judge the IPv4.
	const mapped = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
	if (mapped) return blocked.check(mapped, 'ipv4');
	const hexMapped = /^(?:0*:)*:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
	if (hexMapped) {
		const hi = parseInt(hexMapped[1]!, 16);
		const lo = parseInt(hexMapped[2]!, 16);
		return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
	}
	return blocked.check(address, 'ipv6');
}

export type UrlRefusal = 'invalid_url' | 'not_https' | 'private_address' | 'unresolvable';

export interface GuardOptions {
	allowPrivate: boolean;
	lookup?: (host: string) => Promise<LookupAddress[]>;
}

function defaultLookup(host: string): Promise<LookupAddress[]> {
	return new Promise((resolve, reject) =>
		dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
			error ? reject(error) : resolve(addresses)
		)
	);
}

/** Why a webhook URL is refused, or null. HTTPS only, unless private networks are allowed. */
export async function urlRefusal(url: string, options: GuardOptions): Promise<UrlRefusal | null> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'invalid_url';
	}
	if (parsed.username || parsed.password) return 'invalid_url';
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'invalid_url';
	if (options.allowPrivate) return null;
	if (parsed.protocol !== 'https:') return 'not_https';
	const host = parsed.hostname.replace(/^\[|\]$/g, '');
	if (isIP(host)) return isForbiddenAddress(host) ? 'private_address' : null;
	let addresses: LookupAddress[];
	try {
		addresses = await (options.lookup ?? defaultLookup)(host);
	} catch {
		return 'unresolvable';
	}
	if (addresses.length === 0) return 'unresolvable';
	return addresses.some((a) => isForbiddenAddress(a.address)) ? 'private_address' : null;
}

/**
 * A `lookup` for http(s).request that refuses forbidden addresses: the check on the address
 * the socket will really connect to.
 */
export function guardedLookup(
	hostname: string,
	options: object,
	callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void
): void {
	dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
		if (error) return callback(error, []);
		const list = addresses as LookupAddress[];
		const bad = list.find((a) => isForbiddenAddress(a.address));
		if (bad || list.length === 0)
			return callback(new Error(`webhook: ${hostname} resolves to a forbidden address`), []);
		if ((options as { all?: boolean }).all) return callback(null, list);
		callback(null, list[0]!.address, list[0]!.family);
	});
}
