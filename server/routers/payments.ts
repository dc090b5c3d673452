import { createRouter } from '../trpc';

export const paymentsRouter = createRouter({});
