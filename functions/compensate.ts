// Lambda: the Compensate state of the provisioning workflow.
import { stepPorts } from '../src/core/aws/step-ports.ts';
import { compensate } from '../src/core/steps/compensate.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = stepHandler(compensate, stepPorts, { validate: false });
