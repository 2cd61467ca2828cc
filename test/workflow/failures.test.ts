// A terminal failure at every step ends FAILED naming the step and the AWS code, with nothing of the
// request left in the account; a transient one at every step still ends READY.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SandboxDir, sandboxDir } from '../support/cli.ts';
import { EMPTY_INVENTORY } from '../support/empty-inventory.ts';

let sandbox: SandboxDir;
beforeEach(async () => {
  sandbox = await sandboxDir();
});
afterEach(async () => {
  await sandbox.cleanup();
});

const terminal: { step: string; example: string; fault: string; code: string }[] = [
  {
    step: 'EnsureEndpointService',
    example: 'atlas-replica-set.json',
    fault: 'DescribeVpcEndpointServices:InvalidServiceName',
    code: 'InvalidServiceName',
  },
  {
    step: 'EnsureEndpointService',
    example: 'orders-nlb-tcp.json',
    fault: 'ModifyVpcEndpointServicePermissions:InvalidPrincipal',
    code: 'InvalidPrincipal',
  },
  {
    step: 'CreateInterfaceEndpoint',
    example: 'atlas-replica-set.json',
    fault: 'CreateVpcEndpoint:VpcEndpointLimitExceeded',
    code: 'VpcEndpointLimitExceeded',
  },
  {
    step: 'CreateInterfaceEndpoint',
    example: 'orders-nlb-tcp.json',
    fault: 'AuthorizeSecurityGroupIngress:RulesPerSecurityGroupLimitExceeded',
    code: 'RulesPerSecurityGroupLimitExceeded',
  },
  { step: 'CheckEndpoint', example: 'atlas-replica-set.json', fault: 'endpoint:failed', code: 'EndpointFailed' },
  { step: 'CheckEndpoint', example: 'pinecone-index.json', fault: 'endpoint:rejected', code: 'EndpointRejected' },
  {
    step: 'AcceptEndpointConnection',
    example: 'orders-nlb-tcp.json',
    fault: 'AcceptVpcEndpointConnections:UnauthorizedOperation',
    code: 'UnauthorizedOperation',
  },
  {
    step: 'UpsertDnsRecords',
    example: 'atlas-replica-set.json',
    fault: 'CreateHostedZone:TooManyHostedZones',
    code: 'TooManyHostedZones',
  },
  {
    step: 'UpsertDnsRecords',
    example: 'atlas-replica-set.json',
    fault: 'ChangeResourceRecordSets:InvalidChangeBatch:1',
    code: 'InvalidChangeBatch',
  },
  // CheckEndpoint follows the DNS change too (GetChange once the endpoint is available)
  { step: 'CheckEndpoint', example: 'atlas-replica-set.json', fault: 'GetChange:NoSuchChange', code: 'NoSuchChange' },
  {
    step: 'Finalize',
    example: 'orders-nlb-tcp.json',
    fault: 'CreateTags:UnauthorizedOperation',
    code: 'UnauthorizedOperation',
  },
];

describe('a terminal failure at every step', () => {
  it.each(terminal)('$step ($fault): FAILED with $code, everything undone', async ({ step, example, fault, code }) => {
    const { code: exit, result, stderr } = await sandbox.provision(example, ['--fault', fault]);
    expect(exit, stderr).toBe(1);
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ step, code });
    expect(result.error?.message).toBeTruthy();
    const inventory = await sandbox.inventory();
    expect(inventory).toEqual(EMPTY_INVENTORY);
  });

  it('says what it undid', async () => {
    const { result } = await sandbox.provision('orders-nlb-tcp.json', ['--fault', 'CreateTags:UnauthorizedOperation']);
    const undone = (result.undone ?? []).join('\n');
    expect(undone).toMatch(/deleted interface endpoint vpce-/);
    expect(undone).toMatch(/deleted private hosted zone orders-db\.internal\.example\.com/);
    expect(undone).toMatch(/revoked ingress rule/);
    expect(undone).toMatch(/deleted endpoint service vpce-svc-/);
  });
});

const transient: { step: string; example: string; fault: string }[] = [
  {
    step: 'EnsureEndpointService',
    example: 'atlas-replica-set.json',
    fault: 'DescribeVpcEndpointServices:RequestLimitExceeded:3',
  },
  {
    step: 'EnsureEndpointService',
    example: 'orders-nlb-tcp.json',
    fault: 'CreateVpcEndpointServiceConfiguration:InternalError:2',
  },
  {
    step: 'CreateInterfaceEndpoint',
    example: 'atlas-replica-set.json',
    fault: 'CreateVpcEndpoint:InternalError:3',
  },
  {
    step: 'CreateInterfaceEndpoint',
    example: 'orders-nlb-tcp.json',
    fault: 'AuthorizeSecurityGroupIngress:ServiceUnavailable:2',
  },
  {
    step: 'AcceptEndpointConnection',
    example: 'orders-nlb-tcp.json',
    fault: 'AcceptVpcEndpointConnections:ServiceUnavailable:2',
  },
  {
    step: 'UpsertDnsRecords',
    example: 'atlas-replica-set.json',
    fault: 'ChangeResourceRecordSets:PriorRequestNotComplete:3',
  },
  { step: 'Finalize', example: 'atlas-replica-set.json', fault: 'CreateTags:RequestLimitExceeded:2' },
];

describe('a transient failure at every step', () => {
  it.each(transient)('$step ($fault): READY all the same', async ({ example, fault }) => {
    const { code, result, stderr } = await sandbox.provision(example, ['--fault', fault]);
    expect(code, stderr).toBe(0);
    expect(result.status).toBe('READY');
    expect(stderr).toMatch(/retry 1/);
    expect((await sandbox.inventory()).endpoints).toHaveLength(1);
  });
});

/**
 * Throttling (an account over its request rate) is repeated inside the step, only the throttled call,
 * after a jittered pause on the clock: the call counts show the repeats, and nothing else is redone.
 */
const throttled: { step: string; fault: string; operation: string; times: number; clean: number }[] = [
  {
    step: 'UpsertDnsRecords',
    fault: 'CreateHostedZone:Throttling:3',
    operation: 'CreateHostedZone',
    times: 3,
    clean: 2,
  },
  {
    step: 'CreateInterfaceEndpoint',
    fault: 'CreateVpcEndpoint:RequestLimitExceeded:3',
    operation: 'CreateVpcEndpoint',
    times: 3,
    clean: 1,
  },
  { step: 'CheckEndpoint', fault: 'GetChange:Throttling:3', operation: 'GetChange', times: 3, clean: 2 },
  {
    step: 'CheckEndpoint',
    fault: 'DescribeVpcEndpoints:RequestLimitExceeded:4',
    operation: 'ChangeResourceRecordSets',
    times: 0,
    clean: 2,
  },
];

describe('throttling, as many requests at once meet it', () => {
  it.each(throttled)(
    '$step ($fault): READY, only the throttled call repeated',
    async ({ fault, operation, times, clean }) => {
      const { code, result, stderr } = await sandbox.provision('atlas-replica-set.json', ['--fault', fault]);
      expect(code, stderr).toBe(0);
      expect(result.status).toBe('READY');
      expect(result.stats?.awsCalls[operation]).toBe(clean + times);
      expect(result.stats?.awsCalls.CreateHostedZone).toBe(2 + (operation === 'CreateHostedZone' ? times : 0));
    },
  );
});
