// Lambda: the Finalize state of the provisioning workflow.

import { stepPorts } from '../src/core/aws/step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { recordReady } from '../src/core/provisioning-metrics.ts';
import { finalize } from '../src/core/steps/finalize.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(finalize, stepPorts), {
  name: 'finalize',
  recordMetrics: recordReady,
});
