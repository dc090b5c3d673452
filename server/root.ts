import { authRouter } from './routers/auth';
import { cashiersRouter } from './routers/cashiers';
import { companiesRouter } from './routers/companies';
import { customersRouter } from './routers/customers';
import { devicesRouter } from './routers/devices';
import { meRouter } from './routers/me';
import { operatorRouter } from './routers/operator';
import { partnersRouter } from './routers/partners';
import { passwordResetRouter } from './routers/password-reset';
import { paymentsRouter } from './routers/payments';
import { terminalRouter } from './routers/terminal';
import { statementsRouter } from './routers/statements';
import { privacyRouter } from './routers/privacy';
import { reviewRouter } from './routers/review';
import { integrationsRouter } from './routers/integrations';
import { platformWebhooksRouter, webhooksRouter } from './routers/webhooks';
import { leversRouter } from './routers/levers';
import { createCallerFactory, createRouter } from './trpc';

/** The app router: one sub-router per domain. */
export const appRouter = createRouter({
	auth: authRouter,
	payments: paymentsRouter,
	devices: devicesRouter,
	customers: customersRouter,
	companies: companiesRouter,
	operator: operatorRouter,
	partners: partnersRouter,
	me: meRouter,
	statements: statementsRouter,
	privacy: privacyRouter,
	cashiers: cashiersRouter,
	terminal: terminalRouter,
	passwordReset: passwordResetRouter,
	review: reviewRouter,
	integrations: integrationsRouter,
	webhooks: webhooksRouter,
	platformWebhooks: platformWebhooksRouter,
	levers: leversRouter
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
