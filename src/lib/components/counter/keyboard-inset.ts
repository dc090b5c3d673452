/**
 * Keeps `--keyboard-inset` on an element: how much of the layout viewport's bottom the
 * on-screen keyboard covers, from the VisualViewport API (iOS Safari and Chrome's default
 * mode shrink only the visual viewport, so `position: sticky; bottom: 0` alone would sit
 * under the keyboard). 0 where there is no keyboard or no API. A Svelte attachment.
 */
export function keyboardInset(element: HTMLElement): () => void {
	const viewport = window.visualViewport;
	if (!viewport) return () => {};
	const update = () => {
		const covered = window.innerHeight - viewport.height - viewport.offsetTop;
		element.style.setProperty('--keyboard-inset', `${Math.max(0, Math.round(covered))}px`);
	};
	// The keyboard coming up (the viewport shrinking): the field being typed in scrolls clear
	// of what stays above the keyboard (its scroll-margin says how far).
	const resized = () => {
		update();
		const field = document.activeElement;
		if (field instanceof HTMLInputElement && element.contains(field)) {
			field.scrollIntoView({ block: 'nearest' });
		}
	};
	update();
	viewport.addEventListener('resize', resized);
	viewport.addEventListener('scroll', update);
	return () => {
		viewport.removeEventListener('resize', resized);
		viewport.removeEventListener('scroll', update);
	};
}
