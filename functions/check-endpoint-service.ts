// Lambda: the CheckEndpointService state: one GET of Atlas's endpoint service while Atlas creates it.
import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { checkAtlasService } from '../src/core/steps/atlas-service.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(checkAtlasService, atlasStepPorts), {
  name: 'checkEndpointService',
});
