import { createRouter } from '../trpc';

export const companiesRouter = createRouter({});
