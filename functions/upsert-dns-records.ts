// Lambda: the UpsertDnsRecords state of the provisioning workflow.

import { stepPorts } from '../src/core/aws/step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';
import { upsertDnsRecords } from '../src/core/steps/upsert-dns-records.ts';

export const handler = withObservability(stepHandler(upsertDnsRecords, stepPorts), { name: 'upsertDnsRecords' });
