import { createRouter } from '../trpc';

export const devicesRouter = createRouter({});
