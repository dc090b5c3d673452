/**
 * A stored company document as a download: always an attachment (never rendered inline, so a
 * crafted PDF or image cannot run in our origin), with the type detected at upload,
 * `nosniff`, a sandboxing CSP, and no caching outside the browser.
 */
export function documentResponse(doc: {
	fileName: string;
	contentType: string;
	content: Uint8Array;
}): Response {
	const ascii = doc.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return new Response(doc.content as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': doc.contentType,
			'Content-Length': String(doc.content.byteLength),
			'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`,
			'X-Content-Type-Options': 'nosniff',
			'Content-Security-Policy': "default-src 'none'; sandbox",
			'Cache-Control': 'private, no-store'
		}
	});
}
