/**
 * A request body read to its end, or null as soon as it passes `limit` bytes (the rest is
 * never read: the stream is cancelled). For bodies of undeclared length (chunked), where a
 * Content-Length check cannot refuse them up front.
 */
export async function readBounded(
	body: ReadableStream<Uint8Array>,
	limit: number
): Promise<Uint8Array<ArrayBuffer> | null> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel().catch(() => {});
			return null;
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}
	return bytes;
}
