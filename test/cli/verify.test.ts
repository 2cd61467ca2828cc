import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteVpcEndpointsCommand,
  DescribeSecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  DisassociateVPCFromHostedZoneCommand,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEnvironment } from '../../src/core/app/environment.ts';
import type { VerifyReport } from '../../src/core/app/verify.ts';
import { atlasPortFromEnvironment } from '../../src/core/atlas/credentials.ts';
import { ec2Client, route53Client } from '../../src/core/aws/clients.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { startAwsStandIn } from '../support/aws-stand-in.ts';
import { example, runCli, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { snapshot } from '../support/state-snapshot.ts';

const VPC = 'vpc-0a1b2c3d4e5f67890';
const HOST = 'pl-0-us-east-1-k45tj.mongodb.net';
const SRV_HOST = 'cluster0-pl-0-k45tj.mongodb.net';
const PROJECT = '6123456789abcdef01234567';

let sandbox: SandboxDir;
let ready: ProvisionResult;
let atlas: ProvisionResult;
beforeAll(async () => {
  sandbox = await sandboxDir();
  ready = (await sandbox.provision('atlas-replica-set.json')).result;
  atlas = (await sandbox.provision({ ...(await example('atlas-cluster.json')), requestId: 'atlas-c0' })).result;
}, 120_000);
afterAll(async () => {
  await sandbox.cleanup();
});

async function verify(id: string, ...extra: string[]): Promise<{ code: number; report: VerifyReport; stderr: string }> {
  const run = await sandbox.cli(['verify', '--request-id', id, '--json', ...extra]);
  return { code: run.code, report: JSON.parse(run.stdout) as VerifyReport, stderr: run.stderr };
}

/** A change made behind the request's back: straight through the SDK clients into the sandbox, then saved. */
async function behindItsBack(change: () => Promise<unknown>): Promise<void> {
  const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
  try {
    await change();
  } finally {
    await env.close();
  }
}

const zoneId = (result: ProvisionResult, name: string) =>
  result.dns?.zones.find((z) => z.name === name)?.hostedZoneId ?? '';
const recordOf = (result: ProvisionResult, type: string) => {
  const record = result.dns?.records.find((r) => r.type === type);
  if (!record) throw new Error(`no ${type} record in the result`);
  return record;
};
const toSdk = (record: ReturnType<typeof recordOf>, values = record.values) => ({
  Name: record.name,
  Type: record.type as 'A',
  TTL: record.ttl,
  ResourceRecords: values.map((Value) => ({ Value })),
});

describe('verify --aws', () => {
  it('asks AWS at AWS_ENDPOINT_URL only to read, and says why it stopped (exit 1)', async () => {
    const aws = await startAwsStandIn();
    // each call by its Action (EC2), else by method and path
    const received = () => aws.received.map((r) => r.action || `${r.method} ${r.url}`);
    const dir = await mkdtemp(join(tmpdir(), 'privatelink-verify-aws-'));
    try {
      // The request as the sandbox recorded it, now known to the --aws state directory.
      await mkdir(join(dir, 'aws', 'executions'), { recursive: true });
      await copyFile(
        join(sandbox.dir, 'executions', 'provision-cluster0-app-prod.json'),
        join(dir, 'aws', 'executions', 'provision-cluster0-app-prod.json'),
      );
      const env = {
        AWS_ENDPOINT_URL: aws.url,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_MAX_ATTEMPTS: '1',
      };
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
      const run = await runCli([
        'verify',
        '--request-id',
        'cluster0-app-prod',
        '--aws',
        '--json',
        '--sandbox-state',
        dir,
      ]);
      expect(run.code, run.stderr).toBe(1);
      expect(JSON.parse(run.stdout).error.code).toBe('AuthFailure');
      expect(received()).toEqual(['DescribeVpcEndpointServices']);
      const repair = await runCli([
        'verify',
        '--request-id',
        'cluster0-app-prod',
        '--aws',
        '--repair',
        '--sandbox-state',
        dir,
      ]);
      expect(repair.code).toBe(1);
      expect(received().every((action) => action.startsWith('Describe'))).toBe(true);
    } finally {
      vi.unstubAllEnvs();
      await aws.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('verify', () => {
  it('the fixtures are READY', () => {
    expect(ready.status).toBe('READY');
    expect(atlas.status).toBe('READY');
  });

  it('a READY request as provisioned: no drift, exit 0, and the state directory unchanged', async () => {
    const before = await snapshot(sandbox.dir);
    const { code, report } = await verify('cluster0-app-prod');
    expect(code).toBe(0);
    expect(report).toMatchObject({ requestId: 'cluster0-app-prod', status: 'READY', clean: true, drift: [] });
    expect(report.checked).toEqual([
      'endpoint service vpce-svc-0123456789abcdef0',
      `endpoint ${ready.endpoint?.endpointId}`,
      ...(ready.dns?.zones ?? []).map((z) => `zone ${z.name} (${z.hostedZoneId})`),
      ...(ready.dns?.records ?? []).map((r) => `record ${r.type} ${r.name}`),
      'ingress sg-0fedcba9876543210 from sg-0123456789abcdef0 tcp 1024-1026',
    ]);
    const human = await sandbox.cli(['verify', '--request-id', 'cluster0-app-prod']);
    expect(human).toMatchObject({ code: 0, stdout: 'verify cluster0-app-prod (READY): 8 checked, no drift' });
    expect(await snapshot(sandbox.dir)).toEqual(before);
  });

  it('a record deleted and another changed behind its back: listed (exit 1); --repair puts both back, then exit 0', async () => {
    const a = recordOf(ready, 'A');
    const srv = recordOf(ready, 'SRV');
    await behindItsBack(async () => {
      await route53Client().send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId(ready, HOST),
          ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: toSdk(a) }] },
        }),
      );
      await route53Client().send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId(ready, SRV_HOST),
          ChangeBatch: {
            Changes: [{ Action: 'UPSERT', ResourceRecordSet: toSdk(srv, [`0 0 2000 ${HOST}`]) }],
          },
        }),
      );
    });
    const before = await snapshot(sandbox.dir);
    const { code, report } = await verify('cluster0-app-prod');
    expect(code).toBe(1);
    expect(report.clean).toBe(false);
    expect(report.drift).toMatchObject([
      { resource: 'record', id: `SRV ${srv.name}`, actual: `0 0 2000 ${HOST}`, repairable: true },
      { resource: 'record', id: `A ${HOST}`, actual: 'missing', repairable: true },
    ]);
    expect(await snapshot(sandbox.dir)).toEqual(before);

    const human = await sandbox.cli(['verify', '--request-id', 'cluster0-app-prod']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^verify cluster0-app-prod \(READY\): 8 checked, 2 drift$/m);
    expect(human.stdout).toMatch(
      new RegExp(`^record\\s+A ${HOST.replace(/\./g, '\\.')}\\s+10\\.\\S+, 10\\.\\S+\\s+missing\\s+yes$`, 'm'),
    );
    expect(human.stdout).toContain('--repair puts back what is repairable');

    const repaired = await verify('cluster0-app-prod', '--repair');
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.report).toMatchObject({ clean: true, drift: [] });
    expect(repaired.report.found).toHaveLength(2);
    expect(repaired.report.repaired).toEqual([
      `put back SRV ${srv.name} in zone ${SRV_HOST}`,
      `put back A ${HOST} in zone ${HOST}`,
    ]);
    expect((await verify('cluster0-app-prod')).code).toBe(0);
    const zones = (await sandbox.inventory()).hostedZones;
    const values = (name: string, type: string) =>
      zones
        .flatMap((z) => z.records)
        .find((r) => r.name === name && r.type === type)
        ?.values.sort();
    expect(values(HOST, 'A')).toEqual([...a.values].sort());
    expect(values(srv.name, 'SRV')).toEqual([...srv.values].sort());
  });

  it('a zone the request made, disassociated from the VPC: listed; --repair associates it again', async () => {
    const id = zoneId(ready, SRV_HOST);
    await behindItsBack(async () => {
      // Route 53 keeps a private zone's last VPC: another one first, then ours goes.
      const other = { VPCId: 'vpc-0e4a7b9c2d1f03568', VPCRegion: 'us-east-1' as const };
      await route53Client().send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: id, VPC: other }));
      await route53Client().send(
        new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: VPC, VPCRegion: 'us-east-1' } }),
      );
    });
    const { code, report } = await verify('cluster0-app-prod');
    expect(code).toBe(1);
    expect(report.drift).toMatchObject([
      {
        resource: 'zone-association',
        id: `${SRV_HOST} (${id})`,
        expected: `associated with ${VPC}`,
        actual: 'associated with vpc-0e4a7b9c2d1f03568',
        repairable: true,
      },
    ]);
    const repaired = await verify('cluster0-app-prod', '--repair');
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.report.repaired).toEqual([`associated ${VPC} with zone ${SRV_HOST} (${id})`]);
    expect((await verify('cluster0-app-prod')).code).toBe(0);
  });

  it('its ingress rule revoked: listed; --repair authorizes it again, tagged with the request', async () => {
    await behindItsBack(async () => {
      const found = await ec2Client('us-east-1').send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: 'tag:privatelink:request-id', Values: ['cluster0-app-prod'] }],
        }),
      );
      const rules = found.SecurityGroupRules ?? [];
      expect(rules).toHaveLength(1);
      await ec2Client('us-east-1').send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: rules[0]?.GroupId,
          SecurityGroupRuleIds: rules.map((r) => r.SecurityGroupRuleId ?? ''),
        }),
      );
    });
    const rule = 'sg-0fedcba9876543210 from sg-0123456789abcdef0 tcp 1024-1026';
    const { code, report } = await verify('cluster0-app-prod');
    expect(code).toBe(1);
    expect(report.drift).toMatchObject([{ resource: 'ingress-rule', id: rule, actual: 'missing', repairable: true }]);
    const repaired = await verify('cluster0-app-prod', '--repair');
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.report.repaired).toEqual([`authorized ingress ${rule}`]);
    expect((await verify('cluster0-app-prod')).code).toBe(0);
  });

  it('Atlas: verified at Atlas too; our registration dropped there takes its service and connection with it', async () => {
    const clean = await verify('atlas-c0');
    expect(clean.code).toBe(0);
    expect(clean.report.checked).toContain(`Atlas endpoint service ${atlas.vendor?.endpointServiceId}`);
    const endpointId = atlas.endpoint?.endpointId ?? '';
    await behindItsBack(async () => {
      await atlasPortFromEnvironment().deleteEndpoint(PROJECT, atlas.vendor?.endpointServiceId ?? '', endpointId);
    });
    const before = await snapshot(sandbox.dir);
    const { code, report } = await verify('atlas-c0');
    expect(code).toBe(1);
    // Atlas deletes an endpoint service with its last endpoint, and the AWS connection goes with it:
    // nothing of that can be put back in place.
    const registration = report.drift.find((d) => d.resource === 'atlas-registration');
    expect(registration).toMatchObject({
      id: endpointId,
      expected: 'AVAILABLE',
      actual: 'DELETING',
      repairable: false,
    });
    expect(report.drift.find((d) => d.resource === 'atlas-endpoint-service')).toMatchObject({
      id: atlas.vendor?.endpointServiceId,
      repairable: false,
    });
    expect(
      report.drift.every((d) => !d.repairable && d.fix.includes('privatelink teardown --request-id atlas-c0')),
    ).toBe(true);
    const repair = await verify('atlas-c0', '--repair');
    expect(repair.code).toBe(1);
    expect(repair.report.repaired).toEqual([]);
    // Nothing repairable: --repair wrote nothing either.
    expect(await snapshot(sandbox.dir)).toEqual(before);
  });

  it('a FAILED request whose failure was undone: nothing to compare, said so, exit 0', async () => {
    const orders = { ...(await example('orders-nlb-tcp.json')), requestId: 'orders-failed' };
    const failed = await sandbox.provision(orders, ['--fault', 'CreateVpcEndpoint:VpcEndpointLimitExceeded']);
    expect(failed.result.status).toBe('FAILED');
    const { code, report } = await verify('orders-failed');
    expect(code).toBe(0);
    expect(report).toMatchObject({ status: 'FAILED', clean: true, checked: [], drift: [] });
    expect(report.note).toMatch(/undone: nothing to compare/);
  });

  it('an unknown id: exit 2, with or without --repair, and no state made for it', async () => {
    const unknown = await sandbox.cli(['verify', '--request-id', 'nope', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe('NotFound');
    const fresh = await sandboxDir();
    try {
      expect((await fresh.cli(['verify', '--request-id', 'nope', '--repair'])).code).toBe(2);
      expect(existsSync(fresh.dir)).toBe(false);
    } finally {
      await fresh.cleanup();
    }
  });

  it('the endpoint deleted: not repairable in place; the fix names teardown then provision, --repair still exits 1', async () => {
    const endpointId = ready.endpoint?.endpointId ?? '';
    await behindItsBack(() =>
      ec2Client('us-east-1').send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })),
    );
    const { code, report } = await verify('cluster0-app-prod');
    expect(code).toBe(1);
    const endpoint = report.drift.find((d) => d.resource === 'endpoint');
    expect(endpoint).toMatchObject({ id: endpointId, expected: 'available', repairable: false });
    expect(endpoint?.fix).toContain('privatelink teardown --request-id cluster0-app-prod');
    const repaired = await verify('cluster0-app-prod', '--repair');
    expect(repaired.code).toBe(1);
    expect(repaired.report.drift.some((d) => d.resource === 'endpoint' && !d.repairable)).toBe(true);
  });
});
