import { createRouter } from '../trpc';

export const operatorRouter = createRouter({});
