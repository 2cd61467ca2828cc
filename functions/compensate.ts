// Lambda: the Compensate state of the provisioning workflow.

import { allStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { recordFailed } from '../src/core/provisioning-metrics.ts';
import { compensate } from '../src/core/steps/compensate.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(compensate, allStepPorts, { validate: false }), {
  name: 'compensate',
  recordMetrics: recordFailed,
});
