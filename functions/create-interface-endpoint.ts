// Lambda: the CreateInterfaceEndpoint state of the provisioning workflow.

import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { createInterfaceEndpoint } from '../src/core/steps/create-interface-endpoint.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(createInterfaceEndpoint, atlasStepPorts), {
  name: 'createInterfaceEndpoint',
});
