// `--aws` for service.atlas: the same workflow, steps and adapters, with AWS_ENDPOINT_URL pointed at one
// loopback server (it refuses the credentials, as AWS does) and ATLAS_BASE_URL at another serving the
// sandbox's Atlas simulation over HTTP. Atlas is asked exactly as the API reference says (OAuth client
// credentials, the versioned media types, the bearer token), and the run ends as the EC2 side decides.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { type AtlasHttpServer, startAtlasHttpServer } from '../support/atlas-http-server.ts';
import { type AwsStandIn, startAwsStandIn } from '../support/aws-stand-in.ts';
import { runCli } from '../support/cli.ts';

const CLIENT_ID = 'mdb_sa_id_aws_mode_0123456789abcd';
const CLIENT_SECRET = 'mdb_sa_sk_aws-mode-test-secret';
const PROJECT = '6123456789abcdef01234567';
const MEDIA_TYPE = 'application/vnd.atlas.2023-01-01+json';

let ec2: AwsStandIn;
let atlas: AtlasHttpServer;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  ec2 = await startAwsStandIn();
  const seed = JSON.parse(await readFile(new URL('../../examples/sandbox-seed.json', import.meta.url), 'utf8'));
  // Ready at once: with --aws the workflow's waits are real, so nothing here may need one.
  seed.atlas.timing = { ...seed.atlas.timing, serviceReadyAfterSeconds: 0 };
  seed.atlas.serviceAccount = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
  atlas = await startAtlasHttpServer(seed);
  dir = await mkdtemp(join(tmpdir(), 'privatelink-atlas-aws-'));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: ec2.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ATLAS_BASE_URL: atlas.baseUrl,
    ATLAS_CLIENT_ID: CLIENT_ID,
    ATLAS_CLIENT_SECRET: CLIENT_SECRET,
  });
});

afterAll(async () => {
  process.env = saved;
  await ec2.close();
  await atlas.close();
  await rm(dir, { recursive: true, force: true });
});

it('asks Atlas over HTTP as documented, then EC2 at AWS_ENDPOINT_URL, and reports its refusal as FAILED', async () => {
  const run = await runCli([
    ...['provision', '--request', 'examples/atlas-cluster.json', '--aws', '--json'],
    ...['--sandbox-state', dir],
  ]);
  expect(run.code, run.stderr).toBe(1);
  const result = JSON.parse(run.stdout) as ProvisionResult;

  // The token: client credentials in a Basic header, form-encoded grant.
  const [token, ...calls] = atlas.received;
  expect(token).toMatchObject({ method: 'POST', path: '/api/oauth/token', status: 200 });
  expect(token?.headers.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
  expect(token?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  expect(new URLSearchParams(token?.body).get('grant_type')).toBe('client_credentials');
  const issued = (JSON.parse(token?.responseBody ?? '{}') as { access_token?: string }).access_token;
  expect(issued).toBeTruthy();

  // Then the private-endpoint calls, each with the bearer token and the versioned media type.
  expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(
    expect.arrayContaining([
      `GET /api/atlas/v2/groups/${PROJECT}/privateEndpoint/AWS/endpointService`,
      `POST /api/atlas/v2/groups/${PROJECT}/privateEndpoint/endpointService`,
    ]),
  );
  for (const call of calls) {
    expect(call.headers.authorization, call.path).toBe(`Bearer ${issued}`);
    expect(call.headers.accept, call.path).toBe(MEDIA_TYPE);
    expect(call.status, `${call.method} ${call.path}: ${call.responseBody}`).toBeLessThan(300);
  }
  const create = calls.find((c) => c.method === 'POST');
  expect(create?.headers['content-type']).toBe(MEDIA_TYPE);
  expect(JSON.parse(create?.body ?? '{}')).toMatchObject({ providerName: 'AWS' });
  expect(String(JSON.parse(create?.body ?? '{}').region)).toMatch(/^(US_EAST_1|us-east-1)$/);

  // Atlas named its service; EC2 was asked for it next, at AWS_ENDPOINT_URL, and refused.
  const service = atlas.sandbox.inventory().atlas.endpointServices[0];
  expect(service?.endpointServiceName).toMatch(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
  expect(ec2.received[0]?.body).toContain('Action=DescribeVpcEndpointServices');
  expect(decodeURIComponent(ec2.received[0]?.body ?? '')).toContain(`ServiceName.1=${service?.endpointServiceName}`);
  expect(result.status).toBe('FAILED');
  expect(result.error).toMatchObject({ step: 'EnsureEndpointService', code: 'AuthFailure' });
  // Undoing needs EC2 too, so it stopped; what remains is said, and teardown named.
  expect(result.kept?.join(' ')).toMatch(/undo stopped at AuthFailure.*run teardown/);
  expect(run.stdout + run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
});
