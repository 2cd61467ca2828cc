// Lambda: the Compensate state of the provisioning workflow.

import { stepPorts } from '../src/core/aws/step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { recordFailed } from '../src/core/provisioning-metrics.ts';
import { compensate } from '../src/core/steps/compensate.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(compensate, stepPorts, { validate: false }), {
  name: 'compensate',
  recordMetrics: recordFailed,
});
