// The real statemachines/teardown.asl.json through `privatelink teardown`: everything the request made
// goes, in reverse order; what belongs to others stays; a second teardown is DELETED again.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { startProvision } from '../../src/core/app/provision.ts';
import { startTeardown } from '../../src/core/app/teardown.ts';
import { requireProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { RequestBusyError } from '../../src/core/errors.ts';
import { Sandbox } from '../../src/core/sandbox/index.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { EMPTY_INVENTORY } from '../support/empty-inventory.ts';

let sandbox: SandboxDir;
beforeEach(async () => {
  sandbox = await sandboxDir();
});
afterEach(async () => {
  await sandbox.cleanup();
});

const EMPTY = EMPTY_INVENTORY;

async function teardown(requestId: string) {
  const run = await sandbox.cli(['teardown', '--request-id', requestId, '--json']);
  return { ...run, result: JSON.parse(run.stdout || '{}') as ProvisionResult };
}

/** Works on the saved sandbox directly, as another party in the same account would. */
async function withAccount<T>(fn: (account: Sandbox) => Promise<T>): Promise<T> {
  const account = await Sandbox.load(sandbox.dir);
  if (!account) throw new Error('no sandbox saved');
  const out = await fn(account);
  await account.save(sandbox.dir);
  return out;
}

async function ingressRulesOf(requestId: string): Promise<unknown[]> {
  return withAccount(async (account) => {
    const out = (await account.handle('ec2', 'DescribeSecurityGroupRules', {
      Filters: [{ Name: 'tag:privatelink:request-id', Values: [requestId] }],
    })) as { SecurityGroupRules?: unknown[] };
    return out.SecurityGroupRules ?? [];
  });
}

async function connectOtherEndpoint(serviceName: string): Promise<string> {
  return withAccount(async (account) => {
    const out = (await account.handle('ec2', 'CreateVpcEndpoint', {
      VpcId: 'vpc-0a1b2c3d4e5f67890',
      ServiceName: serviceName,
      VpcEndpointType: 'Interface',
      SubnetIds: ['subnet-2b3c4d5e6f7890123'],
      SecurityGroupIds: ['sg-0123456789abcdef0'],
    })) as { VpcEndpoint: { VpcEndpointId: string } };
    return out.VpcEndpoint.VpcEndpointId;
  });
}

describe('teardown', () => {
  it('removes records, zones, endpoint, ingress rules and our service; status says DELETED', async () => {
    const provisioned = await sandbox.provision('orders-nlb-tcp.json');
    expect(provisioned.code, provisioned.stderr).toBe(0);
    expect(await ingressRulesOf('orders-db-app')).toHaveLength(1);

    const { code, result, stderr } = await teardown('orders-db-app');
    expect(code, stderr).toBe(0);
    expect(result.status).toBe('DELETED');
    const undone = (result.undone ?? []).join('\n');
    expect(undone).toMatch(/deleted A orders-db\.internal\.example\.com/);
    expect(undone).toMatch(/deleted private hosted zone orders-db\.internal\.example\.com/);
    expect(undone).toContain(`deleted interface endpoint ${provisioned.result.endpoint?.endpointId}`);
    expect(undone).toMatch(/revoked ingress rule\(s\) sgr-/);
    expect(undone).toContain(`deleted endpoint service ${provisioned.result.service?.serviceId}`);
    // records before their zone, the endpoint before the service it connects to
    const order = (re: RegExp) => (result.undone ?? []).findIndex((line) => re.test(line));
    expect(order(/deleted A /)).toBeLessThan(order(/hosted zone/));
    expect(order(/interface endpoint/)).toBeLessThan(order(/endpoint service/));
    expect(stderr).toMatch(/WaitForRemoval/);
    expect(await sandbox.inventory()).toEqual(EMPTY);
    expect(await ingressRulesOf('orders-db-app')).toEqual([]);

    const status = await sandbox.cli(['status', '--request-id', 'orders-db-app', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).status).toBe('DELETED');
  });

  it('is idempotent: a second teardown ends DELETED with nothing to do', async () => {
    await sandbox.provision('atlas-replica-set.json');
    expect((await teardown('cluster0-app-prod')).result.status).toBe('DELETED');
    const again = await teardown('cluster0-app-prod');
    expect(again.code, again.stderr).toBe(0);
    expect(again.result).toMatchObject({ status: 'DELETED', undone: [], kept: [] });
    expect(await sandbox.inventory()).toEqual(EMPTY);
  });

  it('an unknown request id exits 2 and names it', async () => {
    const { code, stderr } = await sandbox.cli(['teardown', '--request-id', 'never-provisioned']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no request never-provisioned is known/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('without --request-id is a usage error', async () => {
    const { code, stderr } = await sandbox.cli(['teardown']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/teardown needs --request-id/);
  });

  it('after a teardown the same request provisions afresh as a new execution', async () => {
    const first = await sandbox.provision('pinecone-index.json');
    await teardown('pinecone-my-index');
    const again = await sandbox.provision('pinecone-index.json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.result.status).toBe('READY');
    expect(again.result.endpoint?.endpointId).not.toBe(first.result.endpoint?.endpointId);
    expect((await sandbox.inventory()).endpoints).toHaveLength(1);
    const status = await sandbox.cli(['status', '--request-id', 'pinecone-my-index', '--json']);
    expect(JSON.parse(status.stdout).status).toBe('READY');
  });

  it('while its teardown runs, the same request is refused (what the passes remember stays true)', async () => {
    await sandbox.provision('pinecone-index.json');
    const request = requireProvisionRequest(await example('pinecone-index.json'));
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
    try {
      const down = await startTeardown(env, 'pinecone-my-index');
      if (down.kind !== 'started') throw new Error('the teardown did not start');
      await expect(startProvision(env, request)).rejects.toThrow(RequestBusyError);
      expect((await down.execution).status).toBe('DELETED');
      const again = await startProvision(env, request);
      if (again.kind !== 'started') throw new Error('the provisioning did not start');
      expect((await again.execution).status).toBe('READY');
    } finally {
      await env.close();
    }
  });

  it('after a FAILED provisioning it finds nothing left and says DELETED', async () => {
    await sandbox.provision('atlas-replica-set.json', ['--fault', 'GetChange:NoSuchChange']);
    const { code, result } = await teardown('cluster0-app-prod');
    expect(code).toBe(0);
    expect(result.status).toBe('DELETED');
    expect(await sandbox.inventory()).toEqual(EMPTY);
  });

  it('rejects pending connections of others to our service, then deletes the service', async () => {
    const { result } = await sandbox.provision('orders-nlb-tcp.json');
    const other = await connectOtherEndpoint(result.service?.serviceName ?? '');
    const down = await teardown('orders-db-app');
    expect(down.code, down.stderr).toBe(0);
    expect(down.result.undone?.join('\n')).toContain(`rejected pending connection(s) ${other}`);
    expect(down.result.undone?.join('\n')).toContain(`deleted endpoint service ${result.service?.serviceId}`);
    const inventory = await sandbox.inventory();
    expect(inventory.endpointServices).toEqual([]);
    // the other party's endpoint is theirs: rejected, not deleted by us
    expect(inventory.endpoints.map((e) => e.endpointId)).toEqual([other]);
  });

  it('keeps our service while another party is connected to it, and says why', async () => {
    const { result } = await sandbox.provision('orders-nlb-tcp.json');
    const other = await connectOtherEndpoint(result.service?.serviceName ?? '');
    await withAccount((account) =>
      account.handle('ec2', 'AcceptVpcEndpointConnections', {
        ServiceId: result.service?.serviceId,
        VpcEndpointIds: [other],
      }),
    );
    const down = await teardown('orders-db-app');
    expect(down.code, down.stderr).toBe(0);
    expect(down.result.status).toBe('DELETED');
    expect(down.result.kept?.join('\n')).toMatch(
      /endpoint service vpce-svc-\w+: 1 endpoint\(s\) of others still connected/,
    );
    const inventory = await sandbox.inventory();
    expect(inventory.endpointServices.map((s) => s.serviceId)).toEqual([result.service?.serviceId]);
    expect(inventory.endpoints.map((e) => e.endpointId)).toEqual([other]);
    expect(inventory.hostedZones).toEqual([]);
  });

  it('a terminal fault fails the teardown clearly; a second teardown finishes the job', async () => {
    await sandbox.provision('atlas-replica-set.json');
    const failed = await sandbox.cli([
      'teardown',
      '--request-id',
      'cluster0-app-prod',
      '--json',
      '--fault',
      'DeleteVpcEndpoints:UnauthorizedOperation',
    ]);
    expect(failed.code).toBe(1);
    const result = JSON.parse(failed.stdout) as ProvisionResult;
    expect(result).toMatchObject({
      status: 'FAILED',
      error: { code: 'UnauthorizedOperation', step: 'RemoveResources' },
    });
    expect(result.error?.message).toMatch(/DeleteVpcEndpoints/);
    const status = await sandbox.cli(['status', '--request-id', 'cluster0-app-prod', '--json']);
    expect(JSON.parse(status.stdout).status).toBe('FAILED');

    const again = await teardown('cluster0-app-prod');
    expect(again.code, again.stderr).toBe(0);
    expect(again.result.status).toBe('DELETED');
    expect(await sandbox.inventory()).toEqual(EMPTY);
  });
});
