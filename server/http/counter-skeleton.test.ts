import { describe, expect, it } from 'vitest';
import { counterSkeleton, withCounterSkeleton, withPreloadTags } from './counter-skeleton';

const PAGE =
	'<html><head>\n<link href="/_app/immutable/entry/start.js" rel="modulepreload">\n</head>' +
	'<body><div style="display: contents"><script>start()</script></div></body></html>';

/** Issue 19 item 13: the client-rendered counter painted nothing before its scripts had run. */
describe('the counter’s first picture', () => {
	it('comes first in the body, before the app’s start script, and says it is loading', () => {
		const html = withCounterSkeleton(PAGE, 'ru');
		expect(html).toMatch(
			/<div style="display: contents"><div id="kopek-skeleton">.*<p class="muted">Загрузка…<\/p>.*<\/div><script>start\(\)/
		);
		expect(counterSkeleton('en')).toContain('Loading…');
		expect(counterSkeleton('en')).toContain('>Menu</button>');
	});

	it('shows no user, company or figure: the header bar, a disabled menu and «Загрузка…»', () => {
		const text = counterSkeleton('ru')
			.replace(/<style>.*<\/style>/, '')
			.replace(/<[^>]+>/g, ' ')
			.trim()
			.split(/\s+/);
		expect(text).toEqual(['Kopek', 'Меню', 'Загрузка…']);
		expect(counterSkeleton('ru')).toMatch(/<button [^>]*disabled>/);
	});

	it('preloads the app’s modules at low priority (a prerendered page’s tags too)', () => {
		expect(withCounterSkeleton(PAGE, 'ru')).toContain(
			'<link href="/_app/immutable/entry/start.js" rel="modulepreload" fetchpriority="low">'
		);
		const link =
			'</_app/immutable/entry/start.js>; rel="modulepreload"; nopush, </_app/a.js>; rel="modulepreload"; nopush';
		expect(withPreloadTags('<head></head>', link)).toBe(
			'<head><link href="/_app/immutable/entry/start.js" rel="modulepreload" fetchpriority="low">' +
				'<link href="/_app/a.js" rel="modulepreload" fetchpriority="low"></head>'
		);
	});
});
