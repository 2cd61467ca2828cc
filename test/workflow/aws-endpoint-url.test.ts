// `--aws` runs the same workflow over the standard SDK clients, so AWS_ENDPOINT_URL (LocalStack, moto)
// works unchanged. A loopback server stands in for the endpoint: it records what the SDK sends and
// answers as AWS does when credentials are refused.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AwsStandIn, startAwsStandIn } from '../support/aws-stand-in.ts';
import { runCli } from '../support/cli.ts';

let server: AwsStandIn;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = await startAwsStandIn();
  dir = await mkdtemp(join(tmpdir(), 'privatelink-aws-'));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: server.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  });
});

afterAll(async () => {
  process.env = saved;
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

it('sends the real EC2 calls to AWS_ENDPOINT_URL and reports the refusal as a FAILED result', async () => {
  const run = await runCli([
    'provision',
    '--request',
    'examples/atlas-replica-set.json',
    '--aws',
    '--json',
    '--sandbox-state',
    dir,
  ]);
  expect(run.code, run.stderr).toBe(1);
  expect(server.received[0]?.body).toContain('Action=DescribeVpcEndpointServices');
  expect(server.received[0]?.body).toContain('ServiceName.1=com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0');
  const result = JSON.parse(run.stdout);
  expect(result.status).toBe('FAILED');
  // The original failure stays the headline even though undoing (which needs the same API) failed too.
  expect(result.error).toMatchObject({ step: 'EnsureEndpointService', code: 'AuthFailure' });
  expect(result.kept.join(' ')).toMatch(/undo stopped at AuthFailure.*run teardown/);
  expect(run.stdout + run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
});
