import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter } from './support/counter';
import { AXE_TAGS, KEYBOARD_PX, MIN_TARGET, VIEWPORTS, WALK, type WalkPage } from './support/pages';

/**
 * Every page of every role at a phone, a tablet both ways and a desktop: no sideways
 * scrolling, every tappable thing at least 44×44 px, no stacked cell whose value runs under its
 * label, no console errors, and axe-core's WCAG 2.2 AA rules with no violation. One signed-in context per role; the pages themselves are listed in
 * support/pages.ts.
 */

test.describe.configure({ timeout: 180_000 });

interface SmallTarget {
	what: string;
	width: number;
	height: number;
}

/** Visible buttons, links, form controls under 44×44 px. Inline links in running text are
 * exempt (WCAG 2.5.5's "inline" exception); a checkbox counts with the label that wraps it. */
function smallTargets(page: Page, min: number): Promise<SmallTarget[]> {
	return page.evaluate((min) => {
		const found: { what: string; width: number; height: number }[] = [];
		const selector =
			'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=tab], [tabindex]:not([tabindex="-1"])';
		const inlineInText = (el: Element) => {
			const parent = el.parentElement;
			if (!parent) return false;
			return Array.from(parent.childNodes).some(
				(node) => node !== el && node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== ''
			);
		};
		for (const el of Array.from(document.querySelectorAll(selector))) {
			const style = getComputedStyle(el);
			if (style.visibility === 'hidden' || style.display === 'none') continue;
			let rect = el.getBoundingClientRect();
			if (rect.width <= 1 || rect.height <= 1) continue; // not shown (visually hidden)
			if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
				const label = el.closest('label');
				if (label) rect = label.getBoundingClientRect();
			} else if (el.tagName === 'A' && inlineInText(el)) continue;
			if (rect.width + 0.5 < min || rect.height + 0.5 < min) {
				const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
				const name = el.getAttribute('aria-label') ?? (text || el.getAttribute('name') || '');
				found.push({
					what: `<${el.tagName.toLowerCase()}> ${name}`,
					width: Math.round(rect.width),
					height: Math.round(rect.height)
				});
			}
		}
		return found;
	}, min);
}

/** Boxes that scroll sideways within the page (a table wider than its card): a table keeps its
 * columns within the screen or stacks, it never hides columns behind a scroll. */
function innerScrollers(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const found: string[] = [];
		for (const el of Array.from(document.body.querySelectorAll('*'))) {
			const overflow = getComputedStyle(el).overflowX;
			if (overflow !== 'auto' && overflow !== 'scroll') continue;
			if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
			const what = el.querySelector('th, caption, h2')?.textContent?.trim().slice(0, 30) ?? '';
			found.push(
				`<${el.tagName.toLowerCase()} class="${el.className}"> (${what}) ${el.scrollWidth}/${el.clientWidth} px`
			);
		}
		return found;
	});
}

/**
 * Stacked table cells (phones: `table.stack`, src/tables.css) whose value runs under its
 * label: every part of the value must start right of the label (the cell's ::before), or the
 * card reads as labels and values mixed («22:58» under «Действует с»).
 */
function mixedStackCells(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const found: string[] = [];
		const cells = document.querySelectorAll(
			'table.stack td[data-label]:not([data-label=""]), table.stack tbody th[data-label]:not([data-label=""])'
		);
		for (const cell of Array.from(cells)) {
			const box = cell.getBoundingClientRect();
			if (box.width <= 1 || box.height <= 1) continue;
			const label = getComputedStyle(cell, '::before');
			if (label.content === 'none' || label.float === 'none') continue;
			const labelRight = box.left + parseFloat(label.width);
			const range = document.createRange();
			range.selectNodeContents(cell);
			const under = Array.from(range.getClientRects()).some(
				(r) => r.width > 0 && r.left < labelRight - 1
			);
			if (under) {
				const name = cell.getAttribute('data-label');
				const text = (cell.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
				found.push(`«${name}: ${text}» runs under its label`);
			}
		}
		return found;
	});
}

async function resolvePath(page: Page, entry: WalkPage): Promise<string> {
	if (entry.path) return entry.path;
	await page.goto(entry.from!);
	const links = await page
		.locator('a[href]')
		.evaluateAll((all) =>
			all.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent?.trim() ?? '' }))
		);
	const href = links.find(
		(l) => entry.link!.test(l.href) && (!entry.linkText || l.text === entry.linkText)
	)?.href;
	expect(href, `a link matching ${entry.link} on ${entry.from}`).toBeTruthy();
	return href!;
}

/**
 * With the on-screen keyboard up (a phone's height less KEYBOARD_PX, as a keyboard that
 * resizes the page leaves it; the VisualViewport reports the same), the field being typed in
 * and the action after it are both on the visible part of the screen.
 */
async function underKeyboard(page: Page, keyboard: { field: string; action: string }) {
	const phone = VIEWPORTS[0];
	const visible = phone.height - KEYBOARD_PX;
	await page.setViewportSize({ width: phone.width, height: visible });
	const field = page.getByLabel(keyboard.field);
	await field.focus();
	// what a browser does for the focused field when the keyboard comes up
	await field.evaluate((el) => el.scrollIntoView({ block: 'nearest' }));
	await page.evaluate(
		() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
	);
	const hidden: string[] = [];
	const action = page.getByRole('button', { name: keyboard.action });
	for (const [what, control] of [
		[keyboard.field, field],
		[keyboard.action, action]
	] as const) {
		const box = await control.boundingBox();
		if (!box || box.y < 0 || box.y + box.height > visible) {
			hidden.push(
				`«${what}» is at ${box ? Math.round(box.y) : '?'}–${box ? Math.round(box.y + box.height) : '?'} px, under the keyboard (visible: 0–${visible} px)`
			);
			continue;
		}
		// on the screen, and not under something else either (a bar kept above the keyboard)
		const covered = await control.evaluate((el) => {
			const r = el.getBoundingClientRect();
			const points = [
				[r.left + 4, r.top + 4],
				[r.right - 4, r.bottom - 4],
				[r.left + r.width / 2, r.top + r.height / 2]
			];
			return points.some(([x, y]) => {
				const top = document.elementFromPoint(x!, y!);
				return !top || !(el === top || el.contains(top));
			});
		});
		if (covered) hidden.push(`«${what}» is covered by another element`);
	}
	return hidden;
}

for (const role of WALK) {
	test(`every ${role.name} page fits 390, 768, 1024 and 1280 px, with large targets and no axe violation`, async ({
		page
	}) => {
		const consoleErrors: string[] = [];
		let where = '';
		page.on('console', (msg) => {
			if (msg.type() === 'error') consoleErrors.push(`${where}: ${msg.text()}`);
		});
		page.on('pageerror', (error) => consoleErrors.push(`${where}: ${error.message}`));

		if (role.email) await logInAs(page, role.email);
		if (role.counter) await openCounter(page);
		if (role.setup) await role.setup(page);

		const problems: string[] = [];
		for (const entry of role.pages) {
			const path = await resolvePath(page, entry);
			// one load per page, at the phone size; the other sizes by resizing it (the layout
			// is CSS and measured sizes, so a resize shows what a load at that size would)
			await page.setViewportSize(VIEWPORTS[0]);
			const name = entry.as ?? path;
			where = name;
			await page.goto(path);
			if (entry.ready) {
				await expect(page.getByText(entry.ready).first()).toBeVisible();
			} else {
				await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
			}
			if (entry.act) await entry.act(page);
			for (const viewport of VIEWPORTS) {
				where = `${name} at ${viewport.width}×${viewport.height}`;
				await page.setViewportSize({ width: viewport.width, height: viewport.height });
				await page.evaluate(
					() =>
						new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
				);
				const widths = await page.evaluate(() => ({
					scroll: document.documentElement.scrollWidth,
					inner: window.innerWidth
				}));
				if (widths.scroll > widths.inner) {
					problems.push(`${where}: ${widths.scroll} px wide (sideways scrolling)`);
				}
				for (const box of await innerScrollers(page)) {
					problems.push(`${where}: ${box} scrolls sideways inside the page`);
				}
				if (viewport.width <= 640) {
					for (const cell of await mixedStackCells(page)) problems.push(`${where}: ${cell}`);
				}
				for (const small of await smallTargets(page, MIN_TARGET)) {
					problems.push(`${where}: ${small.what} is ${small.width}×${small.height} px`);
				}
				if (!viewport.axe) continue;
				const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
				for (const violation of axe.violations) {
					const targets = violation.nodes.map((n) => n.target.join(' ')).slice(0, 3);
					problems.push(
						`${where}: axe ${violation.id} (${violation.help}) at ${targets.join(', ')}`
					);
				}
			}
			if (entry.keyboard) {
				where = `${name} at ${VIEWPORTS[0].width}×${VIEWPORTS[0].height}, keyboard up`;
				for (const hidden of await underKeyboard(page, entry.keyboard)) {
					problems.push(`${where}: ${hidden}`);
				}
			}
		}
		expect(problems, problems.join('\n')).toEqual([]);
		expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
	});
}
