/**
 * The address of a Postgres database, as postgres.js reads it: `postgres://user:pass@host/db`,
 * or several hosts for a replicated cluster — `postgres://kopek@h1:5432,h2:5432/kopek?
 * target_session_attrs=read-write` — where postgres.js tries the hosts in turn and keeps
 * only a connection to the primary (docs/DEPLOY.md). `new URL()` refuses the comma list, so
 * the hosts are taken apart here and the rest is read by `new URL()` with the first host.
 */
export interface DatabaseAddress {
	hosts: { host: string; port: number }[];
	database: string;
	/** `any` when unset (one host, or the app may talk to any node). */
	targetSessionAttrs: string;
}

const SESSION_ATTRS = new Set([
	'any',
	'read-write',
	'read-only',
	'primary',
	'standby',
	'prefer-standby'
]);

/** Parses a `postgres://` or `postgresql://` URL with one or more hosts; throws a readable Error. */
export function parseDatabaseUrl(text: string): DatabaseAddress {
	const match = /^(postgres(?:ql)?:\/\/)(?:([^@/?#]*)@)?([^/?#]*)(.*)$/.exec(text.trim());
	if (!match) throw new Error('must be a postgres:// URL');
	const [, scheme = '', userinfo, hostList = '', rest = ''] = match;
	const hosts = hostList.split(',').map((entry) => {
		const one = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
		if (!one) throw new Error(`bad host "${entry}"`);
		const port = one[2] ? Number(one[2]) : 5432;
		if (port < 1 || port > 65535) throw new Error(`bad port in "${entry}"`);
		return { host: one[1]!, port };
	});
	// postgres.js splits each entry of a host list at ':': a bracketed IPv6 address works alone only.
	if (hosts.length > 1 && hosts.some((h) => h.host.startsWith('['))) {
		throw new Error('an IPv6 address in a host list: use host names');
	}
	let url: URL;
	try {
		url = new URL(
			`${scheme}${userinfo !== undefined ? `${userinfo}@` : ''}${hostList.split(',')[0]}${rest}`
		);
	} catch {
		throw new Error('must be a postgres:// URL');
	}
	const targetSessionAttrs = url.searchParams.get('target_session_attrs') ?? 'any';
	if (!SESSION_ATTRS.has(targetSessionAttrs)) {
		throw new Error(`target_session_attrs=${targetSessionAttrs} is not supported`);
	}
	return {
		hosts,
		database: decodeURIComponent(url.pathname.replace(/^\//, '')),
		targetSessionAttrs
	};
}

/** Where the database is, for logs and the health page: hosts and database, never credentials. */
export function describeDatabase(text: string): string {
	const address = parseDatabaseUrl(text);
	return `${address.hosts.map((h) => `${h.host}:${h.port}`).join(',')}/${address.database}`;
}
