// Lambda: the CheckDnsChange state of the provisioning workflow.

import { route53StepPorts } from '../src/core/aws/step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { checkDnsChange } from '../src/core/steps/check-dns-change.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(checkDnsChange, route53StepPorts), { name: 'checkDnsChange' });
