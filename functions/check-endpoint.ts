// Lambda: the CheckEndpoint state of the provisioning workflow.

import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { checkEndpoint } from '../src/core/steps/check-endpoint.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(checkEndpoint, atlasStepPorts), { name: 'checkEndpoint' });
