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

export interface TaskTokenStore {
  put(requestId: string, token: string): Promise<void>;
  get(requestId: string): Promise<string | undefined>;
  remove(requestId: string): Promise<void>;
}

export function buildSsmTaskTokenStore(client: SSMClient, prefix = DEFAULT_TOKEN_PREFIX): TaskTokenStore {
  const name = (requestId: string) => `${prefix}/${requestId}`;
  return {
    async put(requestId, token) {
      await client.send(
        new PutParameterCommand({ Name: name(requestId), Value: token, Type: 'SecureString', Overwrite: true }),
      );
    },
    async get(requestId) {
      try {
        const out = await client.send(new GetParameterCommand({ Name: name(requestId), WithDecryption: true }));
        return out.Parameter?.Value;
      } catch (error) {
        if (error instanceof ParameterNotFound || (error as Error).name === 'ParameterNotFound') return undefined;
        throw error;
      }
    },
    async remove(requestId) {
      try {
        await client.send(new DeleteParameterCommand({ Name: name(requestId) }));
      } catch (error) {
        if ((error as Error).name !== 'ParameterNotFound') throw error;
      }
    },
  };
}
