import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Plan, PlanItem } from '../../src/core/domain/plan.ts';
import { type AtlasHttpServer, startAtlasHttpServer } from '../support/atlas-http-server.ts';
import { type AwsStandIn, emptyEc2Answer, startAwsStandIn } from '../support/aws-stand-in.ts';
import { example, runCli, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { snapshot } from '../support/state-snapshot.ts';

let sandbox: SandboxDir;
let files: string;
beforeAll(async () => {
  sandbox = await sandboxDir();
  files = await mkdtemp(join(tmpdir(), 'privatelink-plan-'));
});
afterAll(async () => {
  await sandbox.cleanup();
  await rm(files, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function requestFile(request: object): Promise<string> {
  const file = join(files, `request-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(request));
  return file;
}

async function plan(file: string, dir: SandboxDir = sandbox): Promise<{ code: number; plan: Plan; stderr: string }> {
  const run = await dir.cli(['plan', '--request', file, '--json']);
  return { code: run.code, plan: JSON.parse(run.stdout) as Plan, stderr: run.stderr };
}

const actions = (items: PlanItem[]) => items.map((i) => `${i.action} ${i.resource}`);

describe('plan on the sandbox', () => {
  it('a fresh request: the named service reused, the rest to create; nothing written, not even the state', async () => {
    const { code, plan: result } = await plan('examples/atlas-replica-set.json');
    expect(code).toBe(0);
    expect(result).toMatchObject({
      requestId: 'cluster0-app-prod',
      region: 'us-east-1',
      wouldSucceed: true,
      runsOn: 'sandbox',
    });
    expect(actions(result.items)).toEqual([
      'reuse endpoint-service',
      'create endpoint',
      'create ingress-rule',
      'create hosted-zone',
      'create record',
      'create record',
      'create hosted-zone',
      'create record',
    ]);
    expect(result.items[0]?.id).toBe('vpce-svc-0123456789abcdef0');
    expect(existsSync(sandbox.dir)).toBe(false);
  });

  it('the human form: a line per item, the verdict and the counts', async () => {
    const run = await sandbox.cli(['plan', '--request', 'examples/atlas-replica-set.json']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^plan cluster0-app-prod in us-east-1 on the sandbox .*: provisioning would go through$/);
    expect(lines[1]).toMatch(/^ACTION\s+RESOURCE\s+NAME\s+ID\s+WHY$/);
    expect(lines[2]).toMatch(
      /^reuse\s+endpoint-service\s+com\.amazonaws\.vpce\.us-east-1\.vpce-svc-0123456789abcdef0\s+vpce-svc-/,
    );
    expect(lines.at(-1)).toBe('7 to create, 0 to update, 1 to reuse, 0 to wait for, 0 refused');
  });

  it('after provisioning: everything reused, and the state directory byte-identical', async () => {
    const provisioned = await sandbox.provision('atlas-replica-set.json');
    expect(provisioned.result.status).toBe('READY');
    const before = await snapshot(sandbox.dir);
    const { code, plan: result } = await plan('examples/atlas-replica-set.json');
    expect(code).toBe(0);
    expect(result.items.map((i) => i.action)).toEqual(Array(9).fill('reuse'));
    expect(result.items.find((i) => i.resource === 'endpoint')?.id).toBe(provisioned.result.endpoint?.endpointId);
    const zones = result.items.filter((i) => i.resource === 'hosted-zone').map((i) => i.id);
    expect(zones.sort()).toEqual(provisioned.result.dns?.zones.map((z) => z.hostedZoneId).sort());
    expect(await snapshot(sandbox.dir)).toEqual(before);
  });

  it('another request writing the same names: refused, naming the request and the record someone else wrote', async () => {
    const other = await requestFile({ ...(await example('atlas-replica-set.json')), requestId: 'cluster0-other' });
    const before = await snapshot(sandbox.dir);
    const { code, plan: result } = await plan(other);
    expect(code).toBe(1);
    expect(result.wouldSucceed).toBe(false);
    const refused = result.items.filter((i) => i.action === 'refuse');
    expect(refused.map((i) => i.code)).toEqual(['NameCollision', 'RecordConflict']);
    expect(refused[0]?.why).toContain('request cluster0-app-prod');
    expect(refused[1]?.name).toBe('A pl-0-us-east-1-k45tj.mongodb.net');
    // The seedlist records hold what this request would write too: reused, not refused.
    expect(result.items.filter((i) => i.resource === 'record' && i.action === 'reuse').map((i) => i.name)).toEqual([
      'SRV _mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net',
      'TXT cluster0-pl-0-k45tj.mongodb.net',
    ]);
    expect(await snapshot(sandbox.dir)).toEqual(before);
  });

  it('the same id with another body: refused (RequestIdConflict)', async () => {
    const changed = await requestFile({ ...(await example('atlas-replica-set.json')), tags: { team: 'other' } });
    const { code, plan: result } = await plan(changed);
    expect(code).toBe(1);
    expect(result.items[0]).toMatchObject({ action: 'refuse', resource: 'request', code: 'RequestIdConflict' });
  });

  it('a VPC outside PRIVATELINK_ALLOWED_VPCS: refused, naming the field and the variable', async () => {
    vi.stubEnv('PRIVATELINK_ALLOWED_VPCS', 'vpc-12345678');
    const file = await requestFile({ ...(await example('orders-nlb-tcp.json')), requestId: 'orders-plan' });
    const { code, plan: result } = await plan(file);
    expect(code).toBe(1);
    expect(result.items[0]).toMatchObject({
      action: 'refuse',
      resource: 'request',
      name: 'consumer.vpcId',
      code: 'NotAllowed',
    });
    expect(result.items[0]?.why).toContain('PRIVATELINK_ALLOWED_VPCS');
    // Our own NLB: the service is still planned (to create), so the rest of the plan reads as usual.
    expect(result.items.find((i) => i.resource === 'endpoint-service')?.action).toBe('create');
  });

  it('a service name EC2 does not know: refused with InvalidServiceName', async () => {
    const file = await requestFile({
      ...(await example('atlas-replica-set.json')),
      requestId: 'unknown-service',
      target: { kind: 'tcp', host: 'unknown.internal.example.com', port: 5432, scheme: 'postgresql' },
      service: { serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0ffffffffffffffff' },
    });
    const { code, plan: result } = await plan(file);
    expect(code).toBe(1);
    expect(result.items.filter((i) => i.action === 'refuse')).toMatchObject([
      { resource: 'endpoint-service', code: 'InvalidServiceName' },
    ]);
  });

  it('Atlas: the project’s service is created when missing, an unknown cluster is refused with Atlas’s code', async () => {
    const fresh = await sandboxDir();
    try {
      const atlas = await example('atlas-cluster.json');
      const ok = await plan(await requestFile(atlas), fresh);
      expect(ok.code).toBe(0);
      expect(actions(ok.plan.items)).toEqual([
        'create atlas-endpoint-service',
        'reuse atlas-cluster',
        'create endpoint',
        'create ingress-rule',
        'create atlas-registration',
      ]);
      const missing = await plan(
        await requestFile({
          ...atlas,
          service: { atlas: { projectId: '6123456789abcdef01234567', clusterName: 'Nope' } },
        }),
        fresh,
      );
      expect(missing.code).toBe(1);
      expect(missing.plan.items.find((i) => i.action === 'refuse')).toMatchObject({
        resource: 'atlas-cluster',
        name: 'Nope',
        code: 'CLUSTER_NAME_NOT_FOUND',
      });
      expect(existsSync(fresh.dir)).toBe(false);
    } finally {
      await fresh.cleanup();
    }
  });

  it('an invalid request or an unreadable file: exit 2 with one JSON error', async () => {
    const invalid = await requestFile({ region: 'us-east-1' });
    const bad = await sandbox.cli(['plan', '--request', invalid, '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('InvalidRequest');
    const none = await sandbox.cli(['plan', '--request', join(files, 'nope.json'), '--json']);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error).toMatchObject({ code: 'CannotReadRequest' });
  });
});

describe('plan --aws', () => {
  let refuse = false;
  let aws: AwsStandIn;
  let atlas: AtlasHttpServer;
  let dir: string;
  beforeAll(async () => {
    // An account with nothing of the request yet: EC2's empty answers (query protocol, as documented) to
    // the two reads plan makes for an Atlas request; the credentials refused for anything else, and for
    // every call once `refuse` is set.
    const EMPTY: Record<string, string> = {
      DescribeVpcEndpoints: 'vpcEndpointSet',
      DescribeSecurityGroupRules: 'securityGroupRuleSet',
    };
    aws = await startAwsStandIn(({ action }) => {
      const set = EMPTY[action];
      return set && !refuse ? emptyEc2Answer(action, set) : undefined;
    });
    const seed = JSON.parse(await readFile(new URL('../../examples/sandbox-seed.json', import.meta.url), 'utf8'));
    seed.atlas.serviceAccount = { clientId: 'mdb_sa_id_plan_0123456789abcdef0', clientSecret: 'mdb_sa_sk_plan' };
    atlas = await startAtlasHttpServer(seed);
    dir = await mkdtemp(join(tmpdir(), 'privatelink-plan-aws-'));
  });
  afterAll(async () => {
    await aws.close();
    await atlas.close();
    await rm(dir, { recursive: true, force: true });
  });

  const awsEnv = () => ({
    AWS_ENDPOINT_URL: aws.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ATLAS_BASE_URL: atlas.baseUrl,
    ATLAS_CLIENT_ID: 'mdb_sa_id_plan_0123456789abcdef0',
    ATLAS_CLIENT_SECRET: 'mdb_sa_sk_plan',
  });
  const actionsSent = () => aws.received.map((call) => call.action);

  it('plans from Atlas’s and EC2’s answers, asking each only to read (exit 0)', async () => {
    for (const [name, value] of Object.entries(awsEnv())) vi.stubEnv(name, value);
    aws.received.length = 0;
    atlas.received.length = 0;
    const run = await runCli([
      'plan',
      '--request',
      'examples/atlas-cluster.json',
      '--aws',
      '--json',
      '--sandbox-state',
      dir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Plan & { runsOn: string };
    expect(result).toMatchObject({ runsOn: 'aws', wouldSucceed: true });
    expect(actions(result.items)).toEqual([
      'create atlas-endpoint-service',
      'reuse atlas-cluster',
      'create endpoint',
      'create ingress-rule',
      'create atlas-registration',
    ]);
    // Atlas: the token, then reads of the project's services and the cluster.
    const [token, ...calls] = atlas.received;
    expect(token).toMatchObject({ method: 'POST', path: '/api/oauth/token' });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/atlas/v2/groups/6123456789abcdef01234567/privateEndpoint/AWS/endpointService',
      'GET /api/atlas/v2/groups/6123456789abcdef01234567/clusters/Cluster0',
    ]);
    expect(actionsSent()).toEqual(['DescribeVpcEndpoints', 'DescribeSecurityGroupRules']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('an AWS refusal (the credentials) ends the plan with its code, exit 1', async () => {
    for (const [name, value] of Object.entries(awsEnv())) vi.stubEnv(name, value);
    aws.received.length = 0;
    refuse = true;
    try {
      const run = await runCli([
        'plan',
        '--request',
        'examples/atlas-cluster.json',
        '--aws',
        '--json',
        '--sandbox-state',
        dir,
      ]);
      expect(run.code, run.stderr).toBe(1);
      expect(JSON.parse(run.stdout).error.code).toBe('AuthFailure');
      expect(actionsSent()).toEqual(['DescribeVpcEndpoints']);
    } finally {
      refuse = false;
    }
  });
});
