// Lambda: the EnsureEndpointService state of the provisioning workflow.

import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { ensureEndpointService } from '../src/core/steps/ensure-endpoint-service.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(ensureEndpointService, atlasStepPorts), {
  name: 'ensureEndpointService',
});
