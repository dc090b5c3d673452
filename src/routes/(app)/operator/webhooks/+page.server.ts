import { loadWebhooks, webhookActions } from '$lib/server/webhook-page';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadWebhooks(event, 'platform');
export const actions: Actions = webhookActions('platform');
