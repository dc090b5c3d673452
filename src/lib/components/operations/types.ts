import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../server/root';

type Outputs = inferRouterOutputs<AppRouter>;

/** A page of companies.listOperations (the first page carries totals). */
export type OperationsPage = Outputs['companies']['listOperations'];
export type OperationRow = OperationsPage['rows'][number];
export type PeriodTotals = NonNullable<OperationsPage['totals']>;
export type OperationsChartData = Outputs['companies']['operationsChart'];
