/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" npm run bench:fleet): the top frames by self time and by total
 * (inclusive) time, as a text flame-graph digest.
 *
 *   npx tsx bench/support/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: Node[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

const [file, topText] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [top]');
const top = Number(topText ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) =>
	selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
);

const label = (n: Node) => {
	const url = n.callFrame.url
		.replace(/^.*node_modules\//, '')
		.replace(/^file:\/\/.*\/(build[^/]*\/)/, '$1');
	return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const total = new Map<string, number>();
for (const [id, us] of selfUs) {
	const node = byId.get(id)!;
	self.set(label(node), (self.get(label(node)) ?? 0) + us);
	const seen = new Set<string>();
	for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
		const l = label(byId.get(at)!);
		if (seen.has(l)) continue;
		seen.add(l);
		total.set(l, (total.get(l) ?? 0) + us);
	}
}
const all = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idle = [...selfUs]
	.filter(([id]) => /\(idle\)/.test(byId.get(id)!.callFrame.functionName))
	.reduce((a, [, us]) => a + us, 0);
const busy = all - idle;
const show = (title: string, m: Map<string, number>) => {
	console.log(`\n${title} (share of busy time)`);
	for (const [l, us] of [...m]
		.filter(([l]) => !/^\((idle|root|program)\)/.test(l))
		.sort((a, b) => b[1] - a[1])
		.slice(0, top))
		console.log(
			`${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${l}`
		);
};
console.log(
	`profile: ${(all / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s`
);
show('self time', self);
show('total time', total);

// Self time by where the code lives: a package, the app's build, Node internals, native.
const byPlace = new Map<string, number>();
for (const [id, us] of selfUs) {
	const node = byId.get(id)!;
	if (/^\((idle|root|program)\)/.test(node.callFrame.functionName)) continue;
	const url = node.callFrame.url;
	const place = url.includes('node_modules/')
		? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
		: url.startsWith('node:')
			? url.replace(/^(node:[^/]+).*$/, '$1')
			: url === ''
				? `native ${node.callFrame.functionName}`
				: url.replace(/^.*\/(build[^/]*\/.*?)(-[A-Za-z0-9_-]{8})?\.js$/, '$1');
	byPlace.set(place, (byPlace.get(place) ?? 0) + us);
}
show('self time by place', byPlace);
