import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { holdScripts } from './support/hydration';

/**
 * A quick partner on a slow tablet types the INN while the page's script is still loading:
 * the lookup runs once the page comes alive, with what was typed.
 */
test('an INN typed before the page came alive is still looked up', async ({ page }) => {
	await logInAs(page, 'partner@kopek.local');
	const release = await holdScripts(page);
	await page.goto('/partner/register', { waitUntil: 'commit' });
	await page.getByLabel('ИНН', { exact: true }).fill('1655012344');
	release();
	await expect(page.getByLabel('Компания', { exact: true })).toHaveValue('ООО "ЧАЙХАНА ВОСТОК"');
	await expect(page.getByLabel('ИНН', { exact: true })).toHaveValue('1655012344');
});
