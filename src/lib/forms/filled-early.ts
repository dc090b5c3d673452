/**
 * The text fields a person filled while the page's script was still loading (a slow phone):
 * the page never heard them being left, so it checks them once it comes alive, as if they had
 * been — all but the one still being typed in. A value the server rendered (a default, what
 * came back with a refusal) is not the person's typing and does not count.
 */
export function filledBeforeReady<T extends string>(
	names: readonly T[],
	root: ParentNode = document
): T[] {
	return names.filter((name) => {
		const input = root.querySelector<HTMLInputElement>(`input[name="${name}"]`);
		return (
			input !== null &&
			input !== document.activeElement &&
			input.value.trim() !== '' &&
			input.value !== input.defaultValue
		);
	});
}
