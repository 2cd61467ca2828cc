// Lambda: the FinalizeConsumer state (external consumer): the result and strings, without DNS.
import { ec2StepPorts } from '../src/core/aws/step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { recordReady } from '../src/core/provisioning-metrics.ts';
import { finalizeConsumer } from '../src/core/steps/consumer-hand-off.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(finalizeConsumer, ec2StepPorts), {
  name: 'finalizeConsumer',
  recordMetrics: recordReady,
});
