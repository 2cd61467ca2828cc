// Lambda: the EnsureEndpointService state of the provisioning workflow. The deployment's allowlists are
// read at every invocation, so the first step refuses what they do not cover, whoever started it.

import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { readAllowlists } from '../src/core/config.ts';
import { withObservability } from '../src/core/observability.ts';
import { ensureEndpointService } from '../src/core/steps/ensure-endpoint-service.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

const ports = (region: string) => ({ ...atlasStepPorts(region), allowlists: readAllowlists() });

export const handler = withObservability(stepHandler(ensureEndpointService, ports), {
  name: 'ensureEndpointService',
});
