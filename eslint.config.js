import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Import boundaries of CONVENTIONS.md: the domain is pure, the server never reaches into
 * screens or the offline engine, browser code takes only types from the server.
 */
const domainBoundary = {
	files: ['src/lib/domain/**/*.ts'],
	rules: {
		'no-restricted-imports': [
			'error',
			{
				patterns: [
					{
						group: ['**/server/**', '$server/**'],
						message: 'lib/domain must not import server code.'
					},
					{
						group: ['**/offline/**', '$lib/offline/**'],
						message: 'lib/domain must not import lib/offline.'
					},
					{
						group: ['svelte', 'svelte/**', '$app/**', '@sveltejs/**'],
						message: 'lib/domain is framework-free.'
					},
					{ group: ['idb', 'workbox-*', 'qr-scanner'], message: 'lib/domain does no I/O.' }
				]
			}
		],
		'no-restricted-globals': [
			'error',
			'window',
			'document',
			'navigator',
			'indexedDB',
			'fetch',
			'localStorage'
		]
	}
};

const serverBoundary = {
	files: ['server/**/*.ts'],
	rules: {
		'no-restricted-imports': [
			'error',
			{
				patterns: [
					{ group: ['**/src/routes/**', '$routes/**'], message: 'server/ never imports screens.' },
					{
						group: ['**/lib/offline/**', '$lib/offline/**'],
						message: 'server/ never imports the offline engine.'
					},
					{
						group: ['$app/**', '$env/**'],
						message: 'server/ stays runnable outside SvelteKit (scripts, benches).'
					}
				]
			}
		]
	}
};

const browserBoundary = {
	files: [
		'src/lib/offline/**/*.ts',
		'src/lib/components/**/*.{ts,svelte}',
		'src/routes/**/*.svelte',
		'src/routes/**/+page.ts',
		'src/routes/**/+layout.ts',
		'src/service-worker.ts'
	],
	rules: {
		'@typescript-eslint/no-restricted-imports': [
			'error',
			{
				patterns: [
					{
						group: ['$server/**', '**/server/**'],
						allowTypeImports: true,
						message: 'Browser code imports server/ for types only (import type).'
					}
				]
			}
		]
	}
};

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	domainBoundary,
	serverBoundary,
	browserBoundary,
	{
		ignores: [
			'build/',
			'build-*/',
			'.svelte-kit/',
			'.svelte-kit-*/',
			'data/',
			'dev-dist/',
			'node_modules/',
			'test-results/',
			'playwright-report/'
		]
	}
);
