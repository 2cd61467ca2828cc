// Lambda: the CheckConnectionStrings state: Atlas's private connection strings for our endpoint.
import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { checkConnectionStrings } from '../src/core/steps/atlas-strings.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(checkConnectionStrings, atlasStepPorts), {
  name: 'checkConnectionStrings',
});
