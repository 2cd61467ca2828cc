import 'aws-sdk-client-mock-vitest/extend';
import {
  GetSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  atlasCredentials,
  atlasPortFromEnvironment,
  resetAtlasCredentials,
  useAtlasCredentials,
} from '../../src/core/atlas/credentials.ts';
import { useAtlasTransport } from '../../src/core/atlas-transport.ts';
import { useClock } from '../../src/core/clock.ts';
import { AwsRequestError, PreconditionError } from '../../src/core/errors.ts';
import { callFixture, tokenFixture } from './fixtures.ts';
import { PROJECT, rejection, SERVICE, useFakeAtlas } from './setup.ts';

const smMock = mockClient(SecretsManagerClient);
const h = useFakeAtlas();
const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:privatelink/atlas-AbCdEf';
const VARS = ['ATLAS_CLIENT_ID', 'ATLAS_CLIENT_SECRET', 'ATLAS_SECRET_ARN', 'ATLAS_BASE_URL'] as const;
const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));

beforeEach(() => {
  smMock.reset();
  resetAtlasCredentials();
  for (const name of VARS) delete process.env[name];
});

afterEach(() => {
  for (const name of VARS) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const secretsError = (name: string) =>
  new SecretsManagerServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `${name} from Secrets Manager`,
  });

describe('atlasCredentials from the environment', () => {
  it('ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET, without Secrets Manager', async () => {
    process.env.ATLAS_CLIENT_ID = 'mdb_sa_id_local';
    process.env.ATLAS_CLIENT_SECRET = 'local-secret';
    process.env.ATLAS_SECRET_ARN = ARN;
    expect(await atlasCredentials()).toEqual({ clientId: 'mdb_sa_id_local', clientSecret: 'local-secret' });
    expect(smMock).not.toHaveReceivedAnyCommand();
  });

  it('names the missing half of a pair', async () => {
    process.env.ATLAS_CLIENT_ID = 'mdb_sa_id_local';
    const error = await rejection(atlasCredentials());
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error).toMatchObject({
      code: 'AtlasCredentialsMissing',
      message: expect.stringContaining('ATLAS_CLIENT_SECRET is not set'),
    });
  });

  it('names every way to configure it when nothing is set', async () => {
    const error = await rejection(atlasCredentials());
    expect(error).toMatchObject({ code: 'AtlasCredentialsMissing' });
    for (const name of ['ATLAS_CLIENT_ID', 'ATLAS_CLIENT_SECRET', 'ATLAS_SECRET_ARN']) {
      expect((error as Error).message).toContain(name);
    }
  });
});

describe('atlasCredentials from Secrets Manager (ATLAS_SECRET_ARN)', () => {
  it('reads the secret once, in its own region, and keeps it', async () => {
    process.env.ATLAS_SECRET_ARN = ARN;
    smMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: '{"clientId":"mdb_sa_id_aws","clientSecret":"aws-secret"}' });

    expect(await atlasCredentials()).toEqual({ clientId: 'mdb_sa_id_aws', clientSecret: 'aws-secret' });
    expect(await atlasCredentials()).toEqual({ clientId: 'mdb_sa_id_aws', clientSecret: 'aws-secret' });

    expect(smMock).toHaveReceivedCommandExactlyOnceWith(GetSecretValueCommand, { SecretId: ARN });
    const client = smMock.call(0).thisValue as SecretsManagerClient;
    expect(await client.config.region()).toBe('eu-west-1');
  });

  it('refuses a secret without clientId and clientSecret, without showing it', async () => {
    process.env.ATLAS_SECRET_ARN = ARN;
    smMock.on(GetSecretValueCommand).resolves({ SecretString: '{"publicKey":"abc","privateKey":"very-secret-value"}' });
    const error = await rejection(atlasCredentials());
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error).toMatchObject({ code: 'AtlasCredentialsInvalid', message: expect.stringContaining(ARN) });
    expect((error as Error).message).not.toContain('very-secret-value');
  });

  it('refuses a secret that is not JSON', async () => {
    process.env.ATLAS_SECRET_ARN = ARN;
    smMock.on(GetSecretValueCommand).resolves({ SecretString: 'clientId=x' });
    await expect(atlasCredentials()).rejects.toMatchObject({ code: 'AtlasCredentialsInvalid' });
  });

  it("translates Secrets Manager's errors and does not keep a failure", async () => {
    process.env.ATLAS_SECRET_ARN = ARN;
    smMock
      .on(GetSecretValueCommand)
      .rejectsOnce(secretsError('AccessDeniedException'))
      .resolves({ SecretString: '{"clientId":"mdb_sa_id_aws","clientSecret":"aws-secret"}' });

    const error = await rejection(atlasCredentials());
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'AccessDeniedException', operation: 'GetSecretValue' });
    expect(await atlasCredentials()).toEqual({ clientId: 'mdb_sa_id_aws', clientSecret: 'aws-secret' });
    expect(smMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });
});

describe('useAtlasCredentials', () => {
  it('swaps the service account and restores the previous one', async () => {
    process.env.ATLAS_CLIENT_ID = 'mdb_sa_id_local';
    process.env.ATLAS_CLIENT_SECRET = 'local-secret';
    const restore = useAtlasCredentials(async () => ({ clientId: 'mdb_sa_id_sandbox', clientSecret: 'sandbox' }));
    expect(await atlasCredentials()).toEqual({ clientId: 'mdb_sa_id_sandbox', clientSecret: 'sandbox' });
    restore();
    expect(await atlasCredentials()).toEqual({ clientId: 'mdb_sa_id_local', clientSecret: 'local-secret' });
  });
});

describe('atlasPortFromEnvironment', () => {
  it('calls ATLAS_BASE_URL with the current service account', async () => {
    const { clientId, clientSecret } = tokenFixture().credentials;
    process.env.ATLAS_BASE_URL = `${h.atlas.baseUrl}/`;
    process.env.ATLAS_CLIENT_ID = clientId;
    process.env.ATLAS_CLIENT_SECRET = clientSecret;
    h.atlas.reply(callFixture('getEndpointService').response);

    await atlasPortFromEnvironment().getEndpointService(PROJECT, SERVICE);

    expect(h.atlas.tokenRequests()[0]?.headers.authorization).toBe(tokenFixture().request.headers.authorization);
    expect(h.atlas.apiRequests()).toHaveLength(1);
  });

  it('goes through the swappable transport and pauses on the current clock', async () => {
    process.env.ATLAS_CLIENT_ID = 'mdb_sa_id_local';
    process.env.ATLAS_CLIENT_SECRET = 'local-secret';
    const urls: string[] = [];
    const answers = [
      Response.json({ access_token: 'simulated', expires_in: 3600 }),
      Response.json({ error: 429, errorCode: 'RATE_LIMITED' }, { status: 429, headers: { 'Retry-After': '7' } }),
      Response.json(callFixture('getEndpointService').response.body),
    ];
    const pauses: number[] = [];
    const restoreTransport = useAtlasTransport(async (url) => {
      urls.push(url);
      const answer = answers.shift();
      if (!answer) throw new Error('no answer left');
      return answer;
    });
    const restoreClock = useClock({ now: () => 0, sleep: async (ms) => void pauses.push(ms) });
    try {
      const service = await atlasPortFromEnvironment().getEndpointService(PROJECT, SERVICE);
      expect(service?.id).toBe(SERVICE);
    } finally {
      restoreClock();
      restoreTransport();
    }
    expect(urls).toEqual([
      'https://cloud.mongodb.com/api/oauth/token',
      `https://cloud.mongodb.com/api/atlas/v2/groups/${PROJECT}/privateEndpoint/AWS/endpointService/${SERVICE}`,
      `https://cloud.mongodb.com/api/atlas/v2/groups/${PROJECT}/privateEndpoint/AWS/endpointService/${SERVICE}`,
    ]);
    expect(pauses).toEqual([7000]);
  });
});
