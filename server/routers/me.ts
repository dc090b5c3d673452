import { createRouter } from '../trpc';

/** The customer's own card: sign-up, ID, QR, balance, history. */
export const meRouter = createRouter({});
