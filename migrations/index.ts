import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_ledger_redeemed';
import * as m0003 from './0003_resilience';
import * as m0004 from './0004_redemption';
import * as m0005 from './0005_terminals';
import * as m0006 from './0006_statements';
import * as m0007 from './0007_privacy';
import * as m0008 from './0008_partitions';
import * as m0009 from './0009_summary_slots';
import * as m0010 from './0010_customer_probes';
import * as m0011 from './0011_money_limits';
import * as m0012 from './0012_operation_holds';
import * as m0013 from './0013_pins';
import * as m0014 from './0014_password_reset';
import * as m0016 from './0016_registry_lookups';
import * as m0020 from './0020_partial_refunds';
import * as m0021 from './0021_integration_keys';
import * as m0025 from './0025_webhooks';
import * as m0030 from './0030_program_rules';
import * as m0031 from './0031_campaigns';
import * as m0032 from './0032_summary_levers';
import * as m0033 from './0033_pending_cancellations';
import * as m0035 from './0035_sale_lines';

/**
 * Every migration, by name, imported statically so that the production build bundles them
 * (a runtime FileMigrationProvider cannot see .ts files after a Vite build).
 * Add each new migration here.
 */
export const migrations: Record<string, Migration> = {
	'0001_initial': m0001,
	'0002_ledger_redeemed': m0002,
	'0003_resilience': m0003,
	'0004_redemption': m0004,
	'0005_terminals': m0005,
	'0006_statements': m0006,
	'0007_privacy': m0007,
	'0008_partitions': m0008,
	'0009_summary_slots': m0009,
	'0010_customer_probes': m0010,
	'0011_money_limits': m0011,
	'0012_operation_holds': m0012,
	'0013_pins': m0013,
	'0014_password_reset': m0014,
	'0016_registry_lookups': m0016,
	'0020_partial_refunds': m0020,
	'0021_integration_keys': m0021,
	'0025_webhooks': m0025,
	'0030_program_rules': m0030,
	'0031_campaigns': m0031,
	'0032_summary_levers': m0032,
	'0033_pending_cancellations': m0033,
	'0035_sale_lines': m0035
};
