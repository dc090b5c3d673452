import { createRouter } from '../trpc';

export const partnersRouter = createRouter({});
