// Where a waiting workflow's task token lives in AWS: an SSM parameter per request, written by the
// WaitForConsumer Lambda and read (then deleted) by finalize. Task tokens outgrow a tag's 256 characters.
import {
  DeleteParameterCommand,
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';

export const DEFAULT_TOKEN_PREFIX = '/privatelink/task-tokens';

/** The service the waiting workflow hands the other party (so finalize can check their endpoint against it). */
export interface WaitingService {
  serviceId?: string;
  serviceName?: string;
}

export interface StoredWait {
  taskToken: string;
  waitingFor?: WaitingService;
}

export interface TaskTokenStore {
  put(requestId: string, token: string, waitingFor?: WaitingService): Promise<void>;
  get(requestId: string): Promise<string | undefined>;
  /** the token with the service it waits on, when the waiting Lambda stored one */
  getWaiting(requestId: string): Promise<StoredWait | undefined>;
  remove(requestId: string): Promise<void>;
}

/**
 * The parameter's value: JSON `{ taskToken, waitingFor }`, or (written before the service was kept) the
 * bare token. A Step Functions token is at most 2,048 characters, well inside a standard parameter's 4 KB.
 */
export function parseStoredWait(value: string): StoredWait {
  if (!value.startsWith('{')) return { taskToken: value };
  const parsed = JSON.parse(value) as {
    taskToken?: unknown;
    waitingFor?: { serviceId?: unknown; serviceName?: unknown };
  };
  if (typeof parsed.taskToken !== 'string') throw new Error('the stored wait has no taskToken');
  const { serviceId, serviceName } = parsed.waitingFor ?? {};
  const waitingFor: WaitingService = {
    ...(typeof serviceId === 'string' && { serviceId }),
    ...(typeof serviceName === 'string' && { serviceName }),
  };
  return { taskToken: parsed.taskToken, ...(Object.keys(waitingFor).length > 0 && { waitingFor }) };
}

export function buildSsmTaskTokenStore(client: SSMClient, prefix = DEFAULT_TOKEN_PREFIX): TaskTokenStore {
  const name = (requestId: string) => `${prefix}/${requestId}`;
  const getWaiting = async (requestId: string): Promise<StoredWait | undefined> => {
    let value: string | undefined;
    try {
      const out = await client.send(new GetParameterCommand({ Name: name(requestId), WithDecryption: true }));
      value = out.Parameter?.Value;
    } catch (error) {
      if (error instanceof ParameterNotFound || (error as Error).name === 'ParameterNotFound') return undefined;
      throw error;
    }
    return value === undefined ? undefined : parseStoredWait(value);
  };
  return {
    async put(requestId, token, waitingFor) {
      const value = waitingFor ? JSON.stringify({ taskToken: token, waitingFor }) : token;
      await client.send(
        new PutParameterCommand({ Name: name(requestId), Value: value, Type: 'SecureString', Overwrite: true }),
      );
    },
    async get(requestId) {
      return (await getWaiting(requestId))?.taskToken;
    },
    getWaiting,
    async remove(requestId) {
      try {
        await client.send(new DeleteParameterCommand({ Name: name(requestId) }));
      } catch (error) {
        if ((error as Error).name !== 'ParameterNotFound') throw error;
      }
    },
  };
}
