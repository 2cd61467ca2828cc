// Lambda (waitForConsumer): the WaitForConsumer state (lambda:invoke.waitForTaskToken) of the
// provisioning workflow for an external consumer. Stores the task token where finalize finds it and
// returns; the workflow stays in the state until finalize calls SendTaskSuccess, or the deadline passes.
import { ssmClient } from '../src/core/aws/control-clients.ts';
import { buildSsmTaskTokenStore, DEFAULT_TOKEN_PREFIX } from '../src/http/task-tokens.ts';

interface WaitInput {
  requestId?: unknown;
  taskToken?: unknown;
  serviceId?: unknown;
  serviceName?: unknown;
}

export const handler = async (event: WaitInput): Promise<{ stored: string }> => {
  if (typeof event.requestId !== 'string' || typeof event.taskToken !== 'string')
    throw new Error('WaitForConsumer needs requestId and taskToken');
  const tokens = buildSsmTaskTokenStore(ssmClient(), process.env.TASK_TOKEN_PARAMETER_PREFIX ?? DEFAULT_TOKEN_PREFIX);
  // The service it waits on goes with the token, so finalize checks the reported endpoint against it.
  await tokens.put(event.requestId, event.taskToken, {
    ...(typeof event.serviceId === 'string' && { serviceId: event.serviceId }),
    ...(typeof event.serviceName === 'string' && { serviceName: event.serviceName }),
  });
  return { stored: event.requestId };
};
