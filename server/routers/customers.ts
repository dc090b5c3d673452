import { createRouter } from '../trpc';

export const customersRouter = createRouter({});
