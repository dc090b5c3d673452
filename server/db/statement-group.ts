/**
 * Group commit for one kind of statement (the till API's key check and claim, and its answers):
 * `inFlight` statements at a time per group (one by default), and the next takes every input
 * that queued meanwhile, so under load an input costs a fraction of a round trip while an idle server adds no wait. Each
 * input gets exactly its own output. When a grouped statement fails, each of its inputs runs
 * alone, so one input's error stays its own (a database that is away fails each of them).
 */
export class StatementGroup<I, O> {
	private readonly waiting: { input: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
	private running = 0;

	/** `inFlight`: statements running at once; `max`: the most inputs one statement takes. */
	constructor(
		private readonly runMany: (inputs: I[]) => Promise<O[]>,
		private readonly inFlight = 1,
		private readonly max = 200
	) {}

	run(input: I): Promise<O> {
		const output = new Promise<O>((resolve, reject) =>
			this.waiting.push({ input, resolve, reject })
		);
		if (this.running < this.inFlight) void this.drain();
		return output;
	}

	private async drain(): Promise<void> {
		this.running++;
		try {
			while (this.waiting.length > 0) {
				const batch = this.waiting.splice(0, this.max);
				try {
					const outputs = await this.runMany(batch.map((w) => w.input));
					batch.forEach((w, i) => w.resolve(outputs[i]!));
				} catch (error) {
					if (batch.length === 1) batch[0]!.reject(error);
					else
						await Promise.all(
							batch.map((w) => this.runMany([w.input]).then(([o]) => w.resolve(o!), w.reject))
						);
				}
			}
		} finally {
			this.running--;
		}
	}
}

/** One group per database handle (a test's database, the app's). */
export function groupPerDatabase<D extends object, I, O>(
	runMany: (db: D, inputs: I[]) => Promise<O[]>
): (db: D, input: I) => Promise<O> {
	const groups = new WeakMap<D, StatementGroup<I, O>>();
	return (db, input) => {
		let group = groups.get(db);
		if (!group) groups.set(db, (group = new StatementGroup((inputs) => runMany(db, inputs))));
		return group.run(input);
	};
}
