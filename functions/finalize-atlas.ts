// Lambda: the FinalizeAtlas state: the READY result of a service.atlas request, with Atlas's strings.
import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { recordReady } from '../src/core/provisioning-metrics.ts';
import { finalizeAtlas } from '../src/core/steps/atlas-finalize.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(finalizeAtlas, atlasStepPorts), {
  name: 'finalizeAtlas',
  recordMetrics: recordReady,
});
