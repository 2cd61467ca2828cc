// Deployment allowlists (VPCs, accounts, hosted-zone suffixes): a request outside them is refused
// before any AWS call, with exit 2 and the field named.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestAllowlistIssues } from '../../src/core/app/allowlists.ts';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { ConfigurationError, readAllowlists } from '../../src/core/config.ts';
import { type ProvisionRequest, parseProvisionRequest } from '../../src/core/domain/request.ts';
import { runWorkflow } from '../../src/core/runner/local-runner.ts';
import { Sandbox } from '../../src/core/sandbox/index.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { EMPTY_INVENTORY } from '../support/empty-inventory.ts';

async function request(name: string, patch: Record<string, unknown> = {}): Promise<ProvisionRequest> {
  const parsed = parseProvisionRequest({ ...(await example(name)), ...patch });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.request;
}

describe('readAllowlists', () => {
  it('unset or blank means no allowlist', () => {
    expect(readAllowlists({})).toEqual({});
    expect(readAllowlists({ PRIVATELINK_ALLOWED_VPCS: '  ' })).toEqual({});
  });

  it('reads comma-separated lists, trimmed, zone names lower-cased without the final dot', () => {
    expect(
      readAllowlists({
        PRIVATELINK_ALLOWED_VPCS: 'vpc-0a1b2c3d4e5f67890, vpc-12345678',
        PRIVATELINK_ALLOWED_ACCOUNTS: '111122223333',
        PRIVATELINK_ALLOWED_ZONE_SUFFIXES: 'MongoDB.net.,internal.example.com',
      }),
    ).toEqual({
      vpcs: ['vpc-0a1b2c3d4e5f67890', 'vpc-12345678'],
      accounts: ['111122223333'],
      zoneSuffixes: ['mongodb.net', 'internal.example.com'],
    });
  });

  it('refuses a malformed entry, naming the variable', () => {
    expect(() => readAllowlists({ PRIVATELINK_ALLOWED_ACCOUNTS: '1111-2222-3333' })).toThrow(ConfigurationError);
    expect(() => readAllowlists({ PRIVATELINK_ALLOWED_VPCS: 'my-vpc' })).toThrow(/PRIVATELINK_ALLOWED_VPCS/);
    expect(() => readAllowlists({ PRIVATELINK_ALLOWED_ZONE_SUFFIXES: '*.example.com' })).toThrow(/not valid/);
  });
});

describe('requestAllowlistIssues', () => {
  it('no lists: no issues', async () => {
    expect(requestAllowlistIssues(await request('orders-nlb-tcp.json'), {})).toEqual([]);
  });

  it('a VPC outside the list', async () => {
    expect(requestAllowlistIssues(await request('atlas-replica-set.json'), { vpcs: ['vpc-12345678'] })).toEqual([
      { path: 'consumer.vpcId', message: expect.stringMatching(/vpc-0a1b2c3d4e5f67890 is not an allowed VPC/) },
    ]);
  });

  it('accounts: load balancers, principals (and "*"), the external consumer', async () => {
    const orders = await request('orders-nlb-tcp.json');
    expect(requestAllowlistIssues(orders, { accounts: ['111122223333'] })).toEqual([]);
    expect(requestAllowlistIssues(orders, { accounts: ['999999999999'] }).map((i) => i.path)).toEqual([
      'service.create.networkLoadBalancerArns.0',
      'service.create.allowedPrincipals.0',
    ]);
    const open = await request('orders-nlb-tcp.json', {
      service: {
        create: {
          networkLoadBalancerArns: [
            'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/0123456789abcdef',
          ],
          allowedPrincipals: ['*'],
        },
      },
    });
    expect(requestAllowlistIssues(open, { accounts: ['111122223333'] })).toEqual([
      { path: 'service.create.allowedPrincipals.0', message: expect.stringMatching(/allows every account/) },
    ]);
    const external = await request('pinecone-index.json', { consumer: { external: { accountId: '444455556666' } } });
    expect(requestAllowlistIssues(external, { accounts: ['111122223333'] }).map((i) => i.path)).toEqual([
      'consumer.external.accountId',
    ]);
  });

  it('zone suffixes: every zone the request would create or use, at its field', async () => {
    const atlas = await request('atlas-replica-set.json');
    expect(requestAllowlistIssues(atlas, { zoneSuffixes: ['mongodb.net'] })).toEqual([]);
    expect(requestAllowlistIssues(atlas, { zoneSuffixes: ['pl-0-us-east-1-k45tj.mongodb.net'] })).toEqual([
      { path: 'target.srvHost', message: expect.stringMatching(/cluster0-pl-0-k45tj\.mongodb\.net is not under/) },
    ]);
    // a suffix matches whole labels only
    expect(requestAllowlistIssues(atlas, { zoneSuffixes: ['godb.net'] })).toHaveLength(2);
  });
});

describe('provision with allowlists configured', () => {
  let sandbox: SandboxDir;
  beforeEach(async () => {
    sandbox = await sandboxDir();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await sandbox.cleanup();
  });

  it('outside them: exit 2 naming the field and the variable, and not one AWS call', async () => {
    vi.stubEnv('PRIVATELINK_ALLOWED_VPCS', 'vpc-12345678');
    vi.stubEnv('PRIVATELINK_ALLOWED_ZONE_SUFFIXES', 'internal.example.com');
    const { code, stderr, stdout } = await sandbox.provision('atlas-replica-set.json');
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error.code).toBe('NotAllowed');
    expect(stderr).toMatch(/consumer\.vpcId: vpc-0a1b2c3d4e5f67890 is not an allowed VPC \(PRIVATELINK_ALLOWED_VPCS\)/);
    expect(stderr).toMatch(/target\.host: .*PRIVATELINK_ALLOWED_ZONE_SUFFIXES/);
    expect((await Sandbox.load(sandbox.dir))?.callCounts()).toEqual({});
    expect(await sandbox.inventory()).toEqual(EMPTY_INVENTORY);
  });

  it('a workflow started without the CLI or the API (an EventBridge rule, StartExecution) is refused by its first step', async () => {
    vi.stubEnv('PRIVATELINK_ALLOWED_VPCS', 'vpc-12345678');
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
    try {
      const outcome = await runWorkflow({
        workflow: 'provision',
        input: { request: await example('atlas-replica-set.json') },
        executionName: 'started-directly',
        ...(env.sandbox && { sandbox: env.sandbox }),
      });
      expect(outcome.status).toBe('FAILED');
      const result = outcome.status === 'FAILED' ? JSON.parse(outcome.cause) : {};
      expect(result.error).toMatchObject({ code: 'NotAllowed', step: 'EnsureEndpointService' });
      expect(result.error.message).toMatch(/consumer\.vpcId: vpc-0a1b2c3d4e5f67890 is not an allowed VPC/);
      // refused before any call that creates something; compensation only looked for what to undo
      const calls = Object.keys(env.sandbox?.callCounts() ?? {});
      expect(calls.filter((op) => !/^(Describe|List|Get)/.test(op))).toEqual([]);
    } finally {
      await env.close();
    }
    expect(await sandbox.inventory()).toEqual(EMPTY_INVENTORY);
  });

  it('inside them: READY', async () => {
    vi.stubEnv('PRIVATELINK_ALLOWED_VPCS', 'vpc-0a1b2c3d4e5f67890');
    vi.stubEnv('PRIVATELINK_ALLOWED_ACCOUNTS', '111122223333');
    vi.stubEnv('PRIVATELINK_ALLOWED_ZONE_SUFFIXES', 'example.com');
    const { code, result, stderr } = await sandbox.provision('orders-nlb-tcp.json');
    expect(code, stderr).toBe(0);
    expect(result.status).toBe('READY');
  });
});

describe('a deployment that requires allowlists (PRIVATELINK_REQUIRE_ALLOWLISTS, as in AWS)', () => {
  const orders = {
    region: 'us-east-1',
    service: {
      create: {
        networkLoadBalancerArns: [
          'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/0123456789abcdef',
        ],
        allowedPrincipals: ['arn:aws:iam::111122223333:root'],
      },
    },
    consumer: { external: { accountId: '444455556666' } },
    target: { kind: 'tcp', host: 'orders-db.internal.example.com', port: 5432 },
  };
  const parsed = (() => {
    const result = parseProvisionRequest(orders);
    if (!result.ok) throw new Error('the test request is invalid');
    return result.request;
  })();

  it('refuses to create a service for an NLB, or grant principals, when no list is configured', () => {
    const issues = requestAllowlistIssues(parsed, { required: true });
    expect(issues.map((i) => i.path)).toEqual([
      'service.create.networkLoadBalancerArns.0',
      'consumer.external.accountId',
    ]);
    expect(issues[0]?.message).toMatch(/PRIVATELINK_ALLOWED_LOAD_BALANCERS/);
  });

  it('allows what the lists name, and only that', () => {
    const nlb = orders.service.create.networkLoadBalancerArns[0] ?? '';
    expect(
      requestAllowlistIssues(parsed, {
        required: true,
        loadBalancers: [nlb],
        accounts: ['111122223333', '444455556666'],
      }),
    ).toEqual([]);
    expect(
      requestAllowlistIssues(parsed, { required: true, loadBalancers: [nlb], accounts: ['111122223333'] }).map(
        (i) => i.path,
      ),
    ).toEqual(['consumer.external.accountId']);
  });

  it('leaves the sandbox open when nothing requires the lists', () => {
    expect(requestAllowlistIssues(parsed, {})).toEqual([]);
  });
});
