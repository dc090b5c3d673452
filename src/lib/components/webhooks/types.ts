/** What the webhook pages get from lib/server/webhook-page.ts (plain data after load). */
export interface WebhookEndpointView {
	id: string;
	url: string;
	description: string;
	events: string[];
	enabled: boolean;
	disabledReason: 'manual' | 'gone' | 'failing' | null;
	previousSecretUntil: Date | string | null;
}

export interface DeliveryView {
	deliveryId: number;
	eventId: string;
	type: string;
	status: 'pending' | 'delivered' | 'failed';
	attempts: number;
	createdAt: Date | string;
	lastAttemptAt: Date | string | null;
	lastStatusCode: number | null;
	lastDurationMs: number | null;
	lastResponseHead: string | null;
	lastError: string | null;
}

export interface WebhookPageData {
	endpoints: WebhookEndpointView[];
	events: string[];
	chosen: WebhookEndpointView | null;
	log: DeliveryView[] | null;
	filter: { type: string; status: string };
}

export interface WebhookForm {
	create?: { id: string; secret: string } | { error: string };
	rotate?: { ok: boolean; secret?: string };
	test?: { ok: boolean };
	resend?: { ok: boolean };
	toggle?: { ok: boolean };
	remove?: { ok: boolean };
}
