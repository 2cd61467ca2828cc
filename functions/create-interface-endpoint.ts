// Lambda: the CreateInterfaceEndpoint state of the provisioning workflow.
import { stepPorts } from '../src/core/aws/step-ports.ts';
import { createInterfaceEndpoint } from '../src/core/steps/create-interface-endpoint.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = stepHandler(createInterfaceEndpoint, stepPorts);
