// Lambda: the CheckConsumerEndpoint state (external consumer): follow and accept the other party's endpoint.
import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { checkConsumerEndpoint } from '../src/core/steps/consumer-hand-off.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(checkConsumerEndpoint, atlasStepPorts), {
  name: 'checkConsumerEndpoint',
});
