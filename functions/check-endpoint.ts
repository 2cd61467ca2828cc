// Lambda: the CheckEndpoint state of the provisioning workflow. It follows the endpoint, its DNS and
// (Atlas) the connection strings together, so it answers the whole state (ResultPath "$"): the input
// with $.endpoint, $.dns and $.atlas as they now stand.

import { allStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { followEndpoint } from '../src/core/steps/check-endpoint.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

const follow = stepHandler(followEndpoint, allStepPorts);

export const handler = withObservability(
  async (event: unknown) => ({ ...(event as Record<string, unknown>), ...(await follow(event)) }),
  { name: 'checkEndpoint' },
);
