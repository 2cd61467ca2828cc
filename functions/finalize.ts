// Lambda: the Finalize state of the provisioning workflow.
import { stepPorts } from '../src/core/aws/step-ports.ts';
import { finalize } from '../src/core/steps/finalize.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = stepHandler(finalize, stepPorts);
