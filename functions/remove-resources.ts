// Lambda: the RemoveResources state of the teardown workflow.

import { stepPorts } from '../src/core/aws/step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { removeResources } from '../src/core/steps/remove-resources-step.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(removeResources, stepPorts), { name: 'removeResources' });
