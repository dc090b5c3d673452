import { describe, expect, it } from 'vitest';
import { StatementGroup } from './statement-group';

describe('StatementGroup', () => {
	it('runs the first at once, then everything queued meanwhile in one statement', async () => {
		const statements: number[][] = [];
		const group = new StatementGroup(async (xs: number[]) => {
			statements.push(xs);
			await new Promise((r) => setTimeout(r, 5));
			return xs.map((x) => x * 10);
		}, 1);
		const outputs = await Promise.all([1, 2, 3, 4].map((x) => group.run(x)));
		expect(outputs).toEqual([10, 20, 30, 40]);
		expect(statements).toEqual([[1], [2, 3, 4]]);
		// Two at once: the second input starts its own statement; the rest wait and go together.
		const two = new StatementGroup(async (xs: number[]) => {
			statements.push(xs);
			await new Promise((r) => setTimeout(r, 5));
			return xs;
		}, 2);
		statements.length = 0;
		expect(await Promise.all([1, 2, 3, 4, 5].map((x) => two.run(x)))).toEqual([1, 2, 3, 4, 5]);
		expect(statements).toEqual([[1], [2], [3, 4, 5]]);
	});

	it('a failed statement runs each input alone: one input’s error stays its own', async () => {
		const group = new StatementGroup(async (xs: number[]) => {
			if (xs.includes(3)) throw new Error(`bad ${xs.join(',')}`);
			return xs.map((x) => x + 1);
		});
		const outputs = await Promise.allSettled([1, 2, 3, 4].map((x) => group.run(x)));
		expect(outputs.map((o) => (o.status === 'fulfilled' ? o.value : String(o.reason)))).toEqual([
			2,
			3,
			'Error: bad 3',
			5
		]);
	});
});
