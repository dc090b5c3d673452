/**
 * Whether the app's script runs on this page yet. The server renders every page with it
 * false; the root layout sets it once mounted. A button that only the script can serve is
 * disabled until then: on a slow phone it would otherwise be pressed for nothing (a menu), or
 * submit its bare form and skip what the script does first (pairing, the logout's check for
 * unsent payments).
 */
export const app = $state({ ready: false });

/** Called by the root layout once mounted; `<html data-ready>` is what browser tests wait for. */
export function markReady(): void {
	app.ready = true;
	document.documentElement.dataset.ready = '';
}
