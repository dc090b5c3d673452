import { translate, type Locale } from '$lib/i18n';

/** The id of the skeleton's root; the root layout removes it once the app has mounted. */
export const COUNTER_SKELETON_ID = 'kopek-skeleton';

const BODY_OPEN = '<div style="display: contents">';

/**
 * The counter's pages render in the browser only (ssr = false, so they open offline from the
 * precached shell): without this, nothing paints until their scripts have arrived and run —
 * on a cheap tablet over a slow network, two seconds of a blank screen. The served HTML
 * carries a still picture of what the counter shows first anyway: the header bar (the brand,
 * the phone's menu button, disabled as the app's own is until it runs) and «Загрузка…» — no
 * user, no company, no figures, nothing that could be wrong before the device's state is
 * known. The styles copy the header's (Header.svelte) so the swap does not move anything.
 */
export function counterSkeleton(locale: Locale): string {
	const t = (key: string) => escapeHtml(translate(locale, key));
	return (
		`<div id="${COUNTER_SKELETON_ID}">` +
		'<style>' +
		'.ks-header{display:flex;align-items:center;justify-content:space-between;padding:0 1rem;' +
		'background:#fff;border-bottom:1px solid var(--line)}' +
		'.ks-brand{display:inline-flex;align-items:center;min-height:52px;min-width:44px;' +
		'font-weight:800;font-size:1.25rem;color:var(--green);text-decoration:none}' +
		'.ks-menu{display:none;text-transform:none}' +
		'@media (max-width:860px){.ks-menu{display:inline-block}}' +
		'</style>' +
		'<header class="ks-header"><a class="ks-brand" href="/">Kopek</a>' +
		`<button type="button" class="secondary ks-menu" disabled>${t('nav.menu')}</button></header>` +
		`<main><p class="muted">${t('counter.loading')}</p></main>` +
		'</div>'
	);
}

/**
 * The page's HTML with the skeleton as the first thing in its body (the app mounts after it).
 * The app's modules are preloaded at low priority: the skeleton needs none of them, and they
 * have no other request to compete with. (Lighthouse's simulation counts every high-priority
 * script that happens to arrive before the first paint as blocking it — a module script never
 * blocks rendering — and so put the skeleton's paint after 110 KB of script.)
 */
export function withCounterSkeleton(html: string, locale: Locale): string {
	return html
		.replaceAll(MODULEPRELOAD, `${MODULEPRELOAD.slice(0, -1)} fetchpriority="low">`)
		.replace(BODY_OPEN, BODY_OPEN + counterSkeleton(locale));
}

const MODULEPRELOAD = 'rel="modulepreload">';

/**
 * A rendered (not prerendered) page lists its modules in SvelteKit's Link header only, which
 * has no priority: the same list as low-priority preload tags at the end of the page's head.
 */
export function withPreloadTags(html: string, linkHeader: string): string {
	const tags = [...linkHeader.matchAll(/<([^>]+)>;\s*rel="modulepreload"/g)]
		.map(([, url]) => `<link href="${escapeHtml(url!)}" rel="modulepreload" fetchpriority="low">`)
		.join('');
	return html.replace('</head>', `${tags}</head>`);
}

function escapeHtml(text: string): string {
	return text.replace(
		/[&<>"]/g,
		(c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`
	);
}
