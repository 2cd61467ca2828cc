import {
  AcceptVpcEndpointConnectionsCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  CreateVpcEndpointCommand,
  type CreateVpcEndpointCommandInput,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DeleteVpcEndpointsCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2ServiceException,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ec2Client } from '../../src/core/aws/clients.ts';
import { Sandbox, type SandboxSeedInput } from '../../src/core/sandbox/index.ts';

const VPC = 'vpc-0a1b2c3d4e5f67890';
const SUBNET_A = 'subnet-0a1b2c3d4e5f67890';
const SUBNET_B = 'subnet-1a2b3c4d5e6f78901';
const SUBNET_C = 'subnet-2b3c4d5e6f7890123';
/** a second subnet in us-east-1a */
const SUBNET_A2 = 'subnet-3c4d5e6f789012345';
const OTHER_VPC = 'vpc-1b2c3d4e5f6789012';
const OTHER_SUBNET = 'subnet-4d5e6f78901234567';
const OTHER_GROUP = 'sg-1111111111111111a';
const ENDPOINT_SG = 'sg-0fedcba9876543210';
const APP_SG = 'sg-0123456789abcdef0';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/0123456789abcdef';
const ATLAS = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const VENDOR_WITH_ACCEPTANCE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0ccccccccccccccc0';

const SEED: SandboxSeedInput = {
  accountId: '111122223333',
  vpcs: [
    {
      vpcId: VPC,
      region: 'us-east-1',
      cidr: '10.0.0.0/16',
      subnets: [
        { subnetId: SUBNET_A, cidr: '10.0.1.0/24', availabilityZone: 'us-east-1a' },
        { subnetId: SUBNET_B, cidr: '10.0.2.0/24', availabilityZone: 'us-east-1b' },
        { subnetId: SUBNET_C, cidr: '10.0.3.0/28', availabilityZone: 'us-east-1c' },
        { subnetId: SUBNET_A2, cidr: '10.0.4.0/24', availabilityZone: 'us-east-1a' },
      ],
      securityGroupIds: [ENDPOINT_SG, APP_SG],
    },
    {
      vpcId: OTHER_VPC,
      region: 'us-east-1',
      cidr: '172.16.0.0/16',
      subnets: [{ subnetId: OTHER_SUBNET, cidr: '172.16.1.0/24', availabilityZone: 'us-east-1b' }],
      securityGroupIds: [OTHER_GROUP],
    },
  ],
  loadBalancers: [{ arn: NLB }],
  endpointServices: [
    { serviceName: ATLAS, acceptanceRequired: false },
    { serviceName: VENDOR_WITH_ACCEPTANCE, acceptanceRequired: true, vendorAcceptsAfterSeconds: 60 },
  ],
};

let sandbox: Sandbox;
let detach: () => void;
const ec2 = () => ec2Client('us-east-1');

beforeEach(() => {
  sandbox = Sandbox.fromSeed(SEED);
  detach = sandbox.attach();
});
afterEach(() => detach());

function endpointInput(overrides: Partial<CreateVpcEndpointCommandInput> = {}): CreateVpcEndpointCommandInput {
  return {
    VpcEndpointType: 'Interface',
    VpcId: VPC,
    ServiceName: ATLAS,
    SubnetIds: [SUBNET_A, SUBNET_B],
    SecurityGroupIds: [ENDPOINT_SG],
    TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'privatelink:request-id', Value: 'r1' }] }],
    ...overrides,
  };
}

async function createEndpoint(overrides: Partial<CreateVpcEndpointCommandInput> = {}) {
  const output = await ec2().send(new CreateVpcEndpointCommand(endpointInput(overrides)));
  const endpoint = output.VpcEndpoint;
  if (!endpoint?.VpcEndpointId) throw new Error('no endpoint in the answer');
  return endpoint as typeof endpoint & { VpcEndpointId: string };
}

async function stateOf(endpointId: string): Promise<string | undefined> {
  const output = await ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
  return output.VpcEndpoints?.[0]?.State;
}

async function createService(acceptanceRequired: boolean, clientToken?: string) {
  const output = await ec2().send(
    new CreateVpcEndpointServiceConfigurationCommand({
      NetworkLoadBalancerArns: [NLB],
      AcceptanceRequired: acceptanceRequired,
      ClientToken: clientToken,
      TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'team', Value: 'payments' }] }],
    }),
  );
  const service = output.ServiceConfiguration;
  if (!service?.ServiceId || !service.ServiceName) throw new Error('no service in the answer');
  return { ...service, ServiceId: service.ServiceId, ServiceName: service.ServiceName };
}

/** Resolves with the error a call rejects with, failing the test if it succeeds. */
async function failure(call: Promise<unknown>): Promise<EC2ServiceException> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(EC2ServiceException);
  return outcome as EC2ServiceException;
}

async function expectCode(call: Promise<unknown>, code: string, status = 400): Promise<void> {
  const error = await failure(call);
  expect(error.name).toBe(code);
  expect(error.$metadata.httpStatusCode).toBe(status);
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

describe('interface endpoints', () => {
  it('gives each ENI a unique address inside its subnet, never a reserved one', async () => {
    const first = await createEndpoint({ SubnetIds: [SUBNET_A, SUBNET_B, SUBNET_C] });
    const second = await createEndpoint({ SubnetIds: [SUBNET_A, SUBNET_B, SUBNET_C], TagSpecifications: [] });
    const ids = [...(first.NetworkInterfaceIds ?? []), ...(second.NetworkInterfaceIds ?? [])];
    expect(ids).toHaveLength(6);
    const { NetworkInterfaces = [] } = await ec2().send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ids }),
    );
    const cidrs: Record<string, [string, number]> = {
      [SUBNET_A]: ['10.0.1.0', 256],
      [SUBNET_B]: ['10.0.2.0', 256],
      [SUBNET_C]: ['10.0.3.0', 16],
    };
    for (const eni of NetworkInterfaces) {
      const [base, size] = cidrs[eni.SubnetId ?? ''] ?? ['0.0.0.0', 0];
      const offset = ipNumber(eni.PrivateIpAddress ?? '') - ipNumber(base);
      expect(offset).toBeGreaterThanOrEqual(4);
      expect(offset).toBeLessThanOrEqual(size - 2);
      expect(eni.VpcId).toBe(VPC);
      expect(eni.NetworkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
    }
    expect(NetworkInterfaces.map((n) => n.AvailabilityZone)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
    ]);
    const ips = NetworkInterfaces.map((n) => n.PrivateIpAddress);
    expect(new Set(ips).size).toBe(6);
  });

  it('runs out of addresses in a full subnet with InsufficientFreeAddressesInSubnet', async () => {
    // a /28 has 16 addresses, 5 reserved by AWS
    for (let i = 0; i < 11; i++) {
      // EC2 allows 4 CreateVpcEndpoint at once, then 0.3 per second (ec2-throttling.ts)
      sandbox.advance(4);
      await createEndpoint({ SubnetIds: [SUBNET_C], TagSpecifications: [] });
    }
    sandbox.advance(4);
    await expectCode(createEndpoint({ SubnetIds: [SUBNET_C] }), 'InsufficientFreeAddressesInSubnet');
    const { NetworkInterfaces = [] } = await ec2().send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [SUBNET_C] }] }),
    );
    const offsets = NetworkInterfaces.map((n) => ipNumber(n.PrivateIpAddress ?? '') - ipNumber('10.0.3.0'));
    expect(offsets.sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('names the endpoint regional DNS name first, then one per zone, with the region alias zone', async () => {
    const endpoint = await createEndpoint();
    const id = endpoint.VpcEndpointId;
    expect(id).toMatch(/^vpce-[0-9a-f]{17}$/);
    const entries = endpoint.DnsEntries ?? [];
    const suffix = /^vpce-[0-9a-f]{17}-([a-z0-9]{8})\./.exec(entries[0]?.DnsName ?? '')?.[1];
    expect(suffix).toBeDefined();
    const domain = 'vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com';
    expect(entries).toEqual([
      { DnsName: `${id}-${suffix}.${domain}`, HostedZoneId: 'Z7HUB22UULQXV' },
      { DnsName: `${id}-${suffix}-us-east-1a.${domain}`, HostedZoneId: 'Z7HUB22UULQXV' },
      { DnsName: `${id}-${suffix}-us-east-1b.${domain}`, HostedZoneId: 'Z7HUB22UULQXV' },
    ]);
    expect(endpoint.CreationTimestamp).toBeInstanceOf(Date);
  });

  it('goes pending → available after endpointAvailableAfterSeconds when no acceptance is needed', async () => {
    const endpoint = await createEndpoint();
    expect(endpoint.State).toBe('pending');
    sandbox.advance(100);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('pending');
    sandbox.advance(20);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('available');
  });

  it('waits for a vendor that accepts on its own: pendingAcceptance → pending → available', async () => {
    const endpoint = await createEndpoint({ ServiceName: VENDOR_WITH_ACCEPTANCE });
    expect(endpoint.State).toBe('pendingAcceptance');
    sandbox.advance(59);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('pendingAcceptance');
    sandbox.advance(1);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('pending');
    sandbox.advance(120);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('available');
  });

  it.each([
    ['InvalidVpcID.NotFound', { VpcId: 'vpc-0000000000000000f' }],
    ['InvalidSubnetID.NotFound', { SubnetIds: [SUBNET_A, 'subnet-0000000000000000f'] }],
    ['InvalidParameter', { SubnetIds: [SUBNET_A, OTHER_SUBNET] }],
    ['DuplicateSubnetsInSameZone', { SubnetIds: [SUBNET_A, SUBNET_A2] }],
    ['InvalidGroup.NotFound', { SecurityGroupIds: ['sg-0000000000000000f'] }],
    ['InvalidGroup.NotFound', { SecurityGroupIds: [OTHER_GROUP] }],
    ['InvalidServiceName', { ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-00000000000000000' }],
    ['InvalidParameter', { VpcEndpointType: 'Gateway' as const }],
    ['InvalidParameter', { PrivateDnsEnabled: true }],
    ['InvalidParameterValue', { TagSpecifications: [{ ResourceType: 'vpc' as const, Tags: [] }] }],
  ])('refuses a bad CreateVpcEndpoint with %s', async (code, overrides) => {
    await expectCode(createEndpoint(overrides), code);
    const { VpcEndpoints } = await ec2().send(new DescribeVpcEndpointsCommand({}));
    expect(VpcEndpoints).toEqual([]);
  });

  it('sees only the region the client is in', async () => {
    await expectCode(
      ec2Client('us-west-2').send(new CreateVpcEndpointCommand(endpointInput())),
      'InvalidVpcID.NotFound',
    );
  });

  it('returns the same endpoint for a repeated ClientToken and refuses it with other parameters', async () => {
    const first = await createEndpoint({ ClientToken: 'token-1' });
    const again = await createEndpoint({ ClientToken: 'token-1' });
    expect(again.VpcEndpointId).toBe(first.VpcEndpointId);
    await expectCode(createEndpoint({ ClientToken: 'token-1', SubnetIds: [SUBNET_A] }), 'IdempotentParameterMismatch');
    const { VpcEndpoints } = await ec2().send(new DescribeVpcEndpointsCommand({}));
    expect(VpcEndpoints).toHaveLength(1);
  });

  it('answers a used ClientToken with its first answer even after the endpoint is gone, as EC2 does', async () => {
    const first = await createEndpoint({ ClientToken: 'token-2' });
    await ec2().send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [first.VpcEndpointId ?? ''] }));
    sandbox.advance(sandbox.timing.endpointDeletedAfterSeconds + 1);
    const again = await createEndpoint({ ClientToken: 'token-2' });
    expect(again.VpcEndpointId).toBe(first.VpcEndpointId);
    const { VpcEndpoints } = await ec2().send(new DescribeVpcEndpointsCommand({}));
    expect(VpcEndpoints).toHaveLength(0);
  });

  it('lists endpoints by tag, state and VPC, and pages with MaxResults', async () => {
    const tagged = await createEndpoint();
    sandbox.advance(200);
    await createEndpoint({ TagSpecifications: [] });
    const byTag = await ec2().send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:privatelink:request-id', Values: ['r1'] }] }),
    );
    expect(byTag.VpcEndpoints?.map((e) => e.VpcEndpointId)).toEqual([tagged.VpcEndpointId]);
    const available = await ec2().send(
      new DescribeVpcEndpointsCommand({
        Filters: [
          { Name: 'vpc-endpoint-state', Values: ['available'] },
          { Name: 'vpc-id', Values: [VPC] },
        ],
      }),
    );
    expect(available.VpcEndpoints?.map((e) => e.VpcEndpointId)).toEqual([tagged.VpcEndpointId]);
    const firstPage = await ec2().send(new DescribeVpcEndpointsCommand({ MaxResults: 1 }));
    expect(firstPage.VpcEndpoints).toHaveLength(1);
    const secondPage = await ec2().send(
      new DescribeVpcEndpointsCommand({ MaxResults: 1, NextToken: firstPage.NextToken }),
    );
    expect(secondPage.VpcEndpoints).toHaveLength(1);
    expect(secondPage.NextToken).toBeUndefined();
    await expectCode(
      ec2().send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })),
      'InvalidParameterValue',
    );
  });

  it('deletes: deleting, then gone with its ENIs after endpointDeletedAfterSeconds', async () => {
    const endpoint = await createEndpoint();
    const { Unsuccessful } = await ec2().send(
      new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint.VpcEndpointId] }),
    );
    expect(Unsuccessful).toEqual([]);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('deleting');
    sandbox.advance(30);
    await expectCode(
      ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpoint.VpcEndpointId] })),
      'InvalidVpcEndpointId.NotFound',
    );
    expect((await ec2().send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
    await expectCode(
      ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: endpoint.NetworkInterfaceIds })),
      'InvalidNetworkInterfaceID.NotFound',
    );
    const again = await ec2().send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint.VpcEndpointId] }));
    expect(again.Unsuccessful).toEqual([
      {
        Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: expect.stringContaining(endpoint.VpcEndpointId) },
        ResourceId: endpoint.VpcEndpointId,
      },
    ]);
  });

  it('answers NotFound for unknown endpoint, interface and service names', async () => {
    await expectCode(
      ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0000000000000000f'] })),
      'InvalidVpcEndpointId.NotFound',
    );
    await expectCode(
      ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0000000000000000f'] })),
      'InvalidNetworkInterfaceID.NotFound',
    );
    await expectCode(
      ec2().send(
        new DescribeVpcEndpointServicesCommand({
          ServiceNames: [ATLAS, 'com.amazonaws.vpce.us-east-1.vpce-svc-0000000000000000f'],
        }),
      ),
      'InvalidServiceName',
    );
  });

  it('refuses operations it does not simulate with UnsupportedOperation', async () => {
    await expectCode(ec2().send(new DescribeInstancesCommand({})), 'UnsupportedOperation');
  });
});

describe('endpoint services', () => {
  it('creates a service on a seed load balancer, listed by tag and state', async () => {
    const service = await createService(true);
    expect(service.ServiceId).toMatch(/^vpce-svc-[0-9a-f]{17}$/);
    expect(service.ServiceName).toBe(`com.amazonaws.vpce.us-east-1.${service.ServiceId}`);
    expect(service.ServiceState).toBe('Available');
    expect(service.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    const listed = await ec2().send(
      new DescribeVpcEndpointServiceConfigurationsCommand({
        Filters: [
          { Name: 'tag:team', Values: ['payments'] },
          { Name: 'service-state', Values: ['Available'] },
        ],
      }),
    );
    expect(listed.ServiceConfigurations?.map((s) => s.ServiceId)).toEqual([service.ServiceId]);
    const other = await ec2().send(
      new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: 'tag:team', Values: ['search'] }] }),
    );
    expect(other.ServiceConfigurations).toEqual([]);
    const { ServiceDetails = [] } = await ec2().send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: [service.ServiceName] }),
    );
    expect(ServiceDetails[0]).toMatchObject({
      ServiceId: service.ServiceId,
      Owner: '111122223333',
      AcceptanceRequired: true,
    });
  });

  it('lists the seed vendor services with their owner', async () => {
    const { ServiceDetails = [] } = await ec2().send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [ATLAS] }));
    expect(ServiceDetails).toHaveLength(1);
    expect(ServiceDetails[0]).toMatchObject({
      ServiceName: ATLAS,
      ServiceId: 'vpce-svc-0123456789abcdef0',
      AcceptanceRequired: false,
      Owner: '999988887777',
      AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    });
  });

  it('refuses a load balancer the account does not have with InvalidParameterValue', async () => {
    await expectCode(
      ec2().send(
        new CreateVpcEndpointServiceConfigurationCommand({
          NetworkLoadBalancerArns: [NLB.replace('orders', 'payments')],
        }),
      ),
      'InvalidParameterValue',
    );
  });

  it('honours ClientToken for services and refuses a mismatch', async () => {
    const first = await createService(true, 'svc-token');
    const again = await createService(true, 'svc-token');
    expect(again.ServiceId).toBe(first.ServiceId);
    await expectCode(createService(false, 'svc-token'), 'IdempotentParameterMismatch');
  });

  it('holds an endpoint in pendingAcceptance until the owner accepts, then makes it available', async () => {
    const service = await createService(true);
    const endpoint = await createEndpoint({ ServiceName: service.ServiceName });
    sandbox.advance(3600);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('pendingAcceptance');
    const { VpcEndpointConnections = [] } = await ec2().send(
      new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'service-id', Values: [service.ServiceId] }] }),
    );
    expect(VpcEndpointConnections.map((c) => [c.VpcEndpointId, c.VpcEndpointState])).toEqual([
      [endpoint.VpcEndpointId, 'pendingAcceptance'],
    ]);
    const accepted = await ec2().send(
      new AcceptVpcEndpointConnectionsCommand({
        ServiceId: service.ServiceId,
        VpcEndpointIds: [endpoint.VpcEndpointId, 'vpce-0000000000000000f'],
      }),
    );
    expect(accepted.Unsuccessful?.map((u) => [u.ResourceId, u.Error?.Code])).toEqual([
      ['vpce-0000000000000000f', 'InvalidVpcEndpointId.NotFound'],
    ]);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('pending');
    sandbox.advance(120);
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('available');
  });

  it('rejects a connection; a service keeps its active endpoints from being deleted', async () => {
    const service = await createService(true);
    const endpoint = await createEndpoint({ ServiceName: service.ServiceName });
    const blocked = await ec2().send(
      new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.ServiceId] }),
    );
    expect(blocked.Unsuccessful?.map((u) => u.Error?.Code)).toEqual(['ExistingVpcEndpointConnections']);
    await ec2().send(
      new RejectVpcEndpointConnectionsCommand({
        ServiceId: service.ServiceId,
        VpcEndpointIds: [endpoint.VpcEndpointId],
      }),
    );
    expect(await stateOf(endpoint.VpcEndpointId)).toBe('rejected');
    const deleted = await ec2().send(
      new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.ServiceId] }),
    );
    expect(deleted.Unsuccessful).toEqual([]);
    await expectCode(
      ec2().send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.ServiceId] })),
      'InvalidVpcEndpointServiceId.NotFound',
    );
    const unknown = await ec2().send(
      new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.ServiceId] }),
    );
    expect(unknown.Unsuccessful?.map((u) => [u.ResourceId, u.Error?.Code])).toEqual([
      [service.ServiceId, 'InvalidVpcEndpointService.NotFound'],
    ]);
  });

  it('answers InvalidVpcEndpointServiceId.NotFound for services the account does not own', async () => {
    await expectCode(
      ec2().send(
        new ModifyVpcEndpointServicePermissionsCommand({
          ServiceId: 'vpce-svc-0000000000000000f',
          AddAllowedPrincipals: ['arn:aws:iam::444455556666:root'],
        }),
      ),
      'InvalidVpcEndpointServiceId.NotFound',
    );
    await expectCode(
      ec2().send(
        new AcceptVpcEndpointConnectionsCommand({
          ServiceId: 'vpce-svc-0123456789abcdef0',
          VpcEndpointIds: ['vpce-0000000000000000f'],
        }),
      ),
      'InvalidVpcEndpointServiceId.NotFound',
    );
  });

  it('adds allowed principals', async () => {
    const service = await createService(false);
    const output = await ec2().send(
      new ModifyVpcEndpointServicePermissionsCommand({
        ServiceId: service.ServiceId,
        AddAllowedPrincipals: ['arn:aws:iam::444455556666:root'],
      }),
    );
    expect(output.ReturnValue).toBe(true);
    expect(output.AddedPrincipals?.[0]).toMatchObject({
      Principal: 'arn:aws:iam::444455556666:root',
      PrincipalType: 'Account',
      ServiceId: service.ServiceId,
    });
  });
});

describe('security group rules and tags', () => {
  const authorize = (groupId: string, sourceGroupId: string, port = 1024) =>
    ec2().send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: sourceGroupId }] },
        ],
        TagSpecifications: [
          { ResourceType: 'security-group-rule', Tags: [{ Key: 'privatelink:request-id', Value: 'r1' }] },
        ],
      }),
    );

  it('authorizes tagged rules, finds them by tag, refuses duplicates and revokes them', async () => {
    const output = await authorize(ENDPOINT_SG, APP_SG);
    expect(output.Return).toBe(true);
    const rule = output.SecurityGroupRules?.[0];
    expect(rule).toMatchObject({
      GroupId: ENDPOINT_SG,
      IsEgress: false,
      IpProtocol: 'tcp',
      FromPort: 1024,
      ToPort: 1024,
      ReferencedGroupInfo: { GroupId: APP_SG },
      Tags: [{ Key: 'privatelink:request-id', Value: 'r1' }],
    });
    expect(rule?.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    await expectCode(authorize(ENDPOINT_SG, APP_SG), 'InvalidPermission.Duplicate');
    const found = await ec2().send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'tag:privatelink:request-id', Values: ['r1'] }] }),
    );
    expect(found.SecurityGroupRules?.map((r) => r.SecurityGroupRuleId)).toEqual([rule?.SecurityGroupRuleId]);
    await ec2().send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: ENDPOINT_SG,
        SecurityGroupRuleIds: [rule?.SecurityGroupRuleId ?? ''],
      }),
    );
    const after = await ec2().send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [ENDPOINT_SG] }] }),
    );
    expect(after.SecurityGroupRules).toEqual([]);
    await expectCode(
      ec2().send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: ENDPOINT_SG,
          SecurityGroupRuleIds: [rule?.SecurityGroupRuleId ?? ''],
        }),
      ),
      'InvalidSecurityGroupRuleId.NotFound',
    );
  });

  it('refuses unknown groups, as target or as source, with InvalidGroup.NotFound', async () => {
    await expectCode(authorize('sg-0000000000000000f', APP_SG), 'InvalidGroup.NotFound');
    await expectCode(authorize(ENDPOINT_SG, 'sg-0000000000000000f'), 'InvalidGroup.NotFound');
  });

  it('tags existing resources and refuses unknown ids with their NotFound code', async () => {
    const endpoint = await createEndpoint({ TagSpecifications: [] });
    await ec2().send(
      new CreateTagsCommand({ Resources: [endpoint.VpcEndpointId], Tags: [{ Key: 'team', Value: 'payments' }] }),
    );
    const { VpcEndpoints = [] } = await ec2().send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:team', Values: ['payments'] }] }),
    );
    expect(VpcEndpoints.map((e) => e.VpcEndpointId)).toEqual([endpoint.VpcEndpointId]);
    const tag = (id: string) =>
      ec2().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'a', Value: 'b' }] }));
    await expectCode(tag('vpce-0000000000000000f'), 'InvalidVpcEndpointId.NotFound');
    await expectCode(tag('vpce-svc-0000000000000000f'), 'InvalidVpcEndpointServiceId.NotFound');
    await expectCode(tag('sgr-0000000000000000f'), 'InvalidSecurityGroupRuleId.NotFound');
    await expectCode(tag('subnet-0000000000000000f'), 'InvalidSubnetID.NotFound');
  });
});
