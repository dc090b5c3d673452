/** Moves focus to an element when it appears: each wizard step is keyboard-ready at once. */
export function focusOnMount(element: HTMLElement): void {
	queueMicrotask(() => element.focus());
}
