// Lambda: the RemoveResources state of the teardown workflow.

import { allStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { removeResources } from '../src/core/steps/remove-resources-step.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(removeResources, allStepPorts), { name: 'removeResources' });
