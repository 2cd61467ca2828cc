// Where a waiting workflow's task token lives in AWS: the SSM parameter's exact requests, the value with
// the service it waits on (so finalize can check the other party's endpoint), and a bare token written
// before the service was kept.
import {
  DeleteParameterCommand,
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildSsmTaskTokenStore, parseStoredWait } from '../../src/http/task-tokens.ts';

const ssm = mockClient(SSMClient);
const store = () => buildSsmTaskTokenStore(new SSMClient({ region: 'us-east-1' }), '/pl/tokens');
const service = {
  serviceId: 'vpce-svc-0123456789abcdef0',
  serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
};
const notFound = () => new ParameterNotFound({ message: 'not found', $metadata: {} });

beforeEach(() => ssm.reset());

describe('the SSM task-token store', () => {
  it('writes the token with the service it waits on as one SecureString, and reads both back', async () => {
    ssm.on(PutParameterCommand).resolves({});
    await store().put('r-1', 'AQCE-token', service);
    expect(ssm).toHaveReceivedCommandExactlyOnceWith(PutParameterCommand, {
      Name: '/pl/tokens/r-1',
      Value: JSON.stringify({ taskToken: 'AQCE-token', waitingFor: service }),
      Type: 'SecureString',
      Overwrite: true,
    });
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: JSON.stringify({ taskToken: 'AQCE-token', waitingFor: service }) } });
    expect(await store().getWaiting('r-1')).toEqual({ taskToken: 'AQCE-token', waitingFor: service });
    expect(await store().get('r-1')).toBe('AQCE-token');
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/pl/tokens/r-1', WithDecryption: true });
  });

  it('reads a bare token (written without the service), and nothing for a missing parameter', async () => {
    ssm.on(PutParameterCommand).resolves({});
    await store().put('r-2', 'AQCE-bare');
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: 'AQCE-bare' });
    ssm.on(GetParameterCommand, { Name: '/pl/tokens/r-2' }).resolves({ Parameter: { Value: 'AQCE-bare' } });
    expect(await store().getWaiting('r-2')).toEqual({ taskToken: 'AQCE-bare' });
    ssm.on(GetParameterCommand, { Name: '/pl/tokens/gone' }).rejects(notFound());
    expect(await store().getWaiting('gone')).toBeUndefined();
    expect(await store().get('gone')).toBeUndefined();
  });

  it('deletes the parameter, a missing one included', async () => {
    ssm.on(DeleteParameterCommand).rejects(notFound());
    await store().remove('r-3');
    expect(ssm).toHaveReceivedCommandWith(DeleteParameterCommand, { Name: '/pl/tokens/r-3' });
  });

  it('keeps only the service fields it knows and refuses a value without a token', () => {
    expect(
      parseStoredWait(JSON.stringify({ taskToken: 't', waitingFor: { serviceId: 'vpce-svc-1', extra: 1 } })),
    ).toEqual({
      taskToken: 't',
      waitingFor: { serviceId: 'vpce-svc-1' },
    });
    expect(parseStoredWait(JSON.stringify({ taskToken: 't', waitingFor: {} }))).toEqual({ taskToken: 't' });
    expect(() => parseStoredWait('{"waitingFor":{}}')).toThrow(/no taskToken/);
  });
});
