// @ts-check
/** @typedef {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>} CspDirectives */
/**
 * Kopek's Content-Security-Policy, in one place: svelte.config.js hands it to SvelteKit
 * (`kit.csp`, which adds a nonce to every rendered page and hashes to prerendered ones) and
 * server/http/security-headers.ts sends it with everything else (static files, the service
 * worker, the API, the probes, the 503 page). Plain JavaScript because svelte.config.js
 * imports it.
 *
 * What it allows, and why:
 * - scripts only from this origin plus SvelteKit's nonce/hash for its inline bootstrap; no
 *   'unsafe-inline', no 'unsafe-eval';
 * - styles from this origin and 'unsafe-inline': Svelte writes `style="…"` attributes (the
 *   charts' grid, app.html's wrapper) and a nonce would disable 'unsafe-inline' for them;
 *   inline styles cannot run code;
 * - images from this origin, `data:` (the QR codes) and `blob:`;
 * - workers from this origin (the service worker) and `blob:` (the QR scanner decodes in a
 *   worker made from a Blob URL);
 * - requests (fetch, tRPC) to this origin only; no plugins, no frames, no framing by others
 *   (frame-ancestors, which a <meta> policy cannot carry: it goes out as a header);
 * - forms post to this origin only; <base> cannot point elsewhere.
 *
 * @type {CspDirectives}
 */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	'style-src': ['self', 'unsafe-inline'],
	'img-src': ['self', 'data:', 'blob:'],
	'font-src': ['self'],
	'connect-src': ['self'],
	'worker-src': ['self', 'blob:'],
	'manifest-src': ['self'],
	'media-src': ['self'],
	'object-src': ['none'],
	'frame-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self'],
	'frame-ancestors': ['none']
};
