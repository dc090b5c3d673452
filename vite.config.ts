import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Fewer, larger chunks for the browser build. The counter page (client-rendered, ssr=false)
 * paints only after every module of its route has arrived; over HTTP/1.1 (a shop server on
 * plain HTTP, Lighthouse's slow-4G model) 40 small chunks cost 6–7 round trips where a few
 * chunks cost one. The framework and the message catalogue go to every page anyway; the
 * counter's own code (outbox, sync engine, its components) is one chunk that only the counter
 * pages load. The server build keeps Rolldown's default chunking.
 */
function clientChunks(): Plugin {
	return {
		name: 'kopek-client-chunks',
		apply: 'build',
		enforce: 'post',
		config(config) {
			if (config.build?.ssr) return;
			return {
				build: {
					rolldownOptions: {
						output: {
							codeSplitting: {
								groups: [
									{
										name: 'framework',
										test: /node_modules[\\/](svelte|@sveltejs[\\/]kit|devalue|esm-env|clsx)[\\/]/,
										priority: 3
									},
									{ name: 'catalogue', test: /src[\\/]lib[\\/]i18n[\\/]/, priority: 2 },
									{
										name: 'counter',
										test: /src[\\/]lib[\\/](offline|components[\\/](counter|terminal))[\\/]|node_modules[\\/](@trpc|superjson|idb|copy-anything|is-what)[\\/]/,
										priority: 1
									}
								]
							}
						}
					}
				}
			};
		}
	};
}

export default defineConfig({
	plugins: [
		sveltekit(),
		clientChunks(),
		SvelteKitPWA({
			strategies: 'injectManifest',
			srcDir: 'src',
			filename: 'service-worker.ts',
			registerType: 'prompt',
			// follows svelte.config.js when KOPEK_BUILD_DIR gives a build its own directory
			...(process.env.KOPEK_BUILD_DIR
				? {
						outDir: `.svelte-kit-${process.env.KOPEK_BUILD_DIR}/output`,
						kit: { outDir: `.svelte-kit-${process.env.KOPEK_BUILD_DIR}` }
					}
				: {}),
			injectRegister: false,
			manifest: {
				name: 'Kopek — кэшбэк',
				short_name: 'Kopek',
				description: 'Кэшбэк для клиентов вашего магазина',
				lang: 'ru',
				start_url: '/company/pay',
				scope: '/',
				display: 'standalone',
				theme_color: '#0f6b4f',
				background_color: '#ffffff',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{
						src: '/icons/icon-512.png',
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			injectManifest: {
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webmanifest}', 'prerendered/**/*.html'],
				maximumFileSizeToCacheInBytes: 4 * 1024 * 1024
			},
			devOptions: { enabled: false }
		})
	],
	// `npm run dev` and `vite preview` listen on PORT like `npm start` does (3000 unset).
	server: { port: Number(process.env.PORT) || 3000 },
	preview: { port: Number(process.env.PORT) || 3000 },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
});
