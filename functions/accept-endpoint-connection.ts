// Lambda: the AcceptEndpointConnection state of the provisioning workflow.

import { ec2StepPorts } from '../src/core/aws/step-ports.ts';
import { withObservability } from '../src/core/observability.ts';
import { acceptEndpointConnection } from '../src/core/steps/accept-endpoint-connection.ts';
import { stepHandler } from '../src/core/steps/step-handler.ts';

export const handler = withObservability(stepHandler(acceptEndpointConnection, ec2StepPorts), {
  name: 'acceptEndpointConnection',
});
