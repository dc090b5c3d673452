import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { CSP_DIRECTIVES } from './server/http/csp.js';

// Separate build directories let several builds run side by side (parallel e2e runs).
const buildName = process.env.KOPEK_BUILD_DIR;

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: buildName ?? 'build' }),
		outDir: buildName ? `.svelte-kit-${buildName}` : '.svelte-kit',
		alias: {
			$server: 'server',
			$migrations: 'migrations'
		},
		// The PWA plugin registers the worker itself (workbox-window), so SvelteKit must not.
		serviceWorker: { register: false },
		csrf: { trustedOrigins: [] },
		// A nonce for every rendered page, hashes for prerendered ones (the counter's offline
		// shell); the same directives go out with every other answer (server/http/csp.js).
		csp: { mode: 'auto', directives: CSP_DIRECTIVES },
		// Absolute asset URLs: the prerendered counter shell is served at /company/pay and
		// /company/clients too, where relative URLs would point elsewhere.
		paths: { relative: false },
		// Every stylesheet is small (the largest ~6 KB): inlined into the page, it costs no
		// render-blocking round trip before the first paint (Lighthouse's slow-4G model, a shop
		// server on plain HTTP/1.1). 'unsafe-inline' in style-src already allows <style>.
		inlineStyleThreshold: 10_000,
		typescript: {
			config(tsconfig) {
				tsconfig.include.push(
					'../server/**/*.ts',
					'../migrations/**/*.ts',
					'../scripts/**/*.ts',
					'../bench/**/*.ts',
					'../tests/**/*.ts'
				);
			}
		}
	}
};

export default config;
