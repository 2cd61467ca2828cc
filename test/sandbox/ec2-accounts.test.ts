// Another account in the sandbox: the other party of a hand-off, with its own VPC, creating its
// endpoint to our service (or a vendor's) under the service's allowed principals and acceptance.
import {
  AcceptVpcEndpointConnectionsCommand,
  CreateTagsCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DeleteVpcEndpointsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  EC2ServiceException,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxSeedInput } from '../../src/core/sandbox/seed.ts';
import { type Ec2Harness, ec2Code, ec2Harness } from './ec2-harness.ts';

const ACCOUNT = '111122223333';
const PARTNER = '444455556666';
const STRANGER = '777788889999';
const VPC = 'vpc-0a1b2c3d4e5f67890';
const SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'];
const GROUP = 'sg-0fedcba9876543210';
const PARTNER_VPC = 'vpc-0e4a7b9c2d1f03568';
const PARTNER_SUBNETS = ['subnet-0e4a7b9c2d1f03561', 'subnet-0e4a7b9c2d1f03562', 'subnet-0e4a7b9c2d1f03563'];
const PARTNER_GROUP = 'sg-0e4a7b9c2d1f03560';
const NLB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/net/orders/0123456789abcdef`;
const VENDOR_SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-05ef6f1f0b9130b54';
const PARTNERS_ONLY = 'com.amazonaws.vpce.us-east-1.vpce-svc-0ccccccccccccccc0';

const SEED: SandboxSeedInput = {
  accountId: ACCOUNT,
  vpcs: [
    {
      vpcId: VPC,
      region: 'us-east-1',
      cidr: '10.0.0.0/16',
      subnets: [
        { subnetId: SUBNETS[0] ?? '', cidr: '10.0.1.0/24', availabilityZone: 'us-east-1a' },
        { subnetId: SUBNETS[1] ?? '', cidr: '10.0.2.0/24', availabilityZone: 'us-east-1b' },
      ],
      securityGroupIds: [GROUP],
    },
    {
      vpcId: PARTNER_VPC,
      region: 'us-east-1',
      cidr: '10.20.0.0/16',
      accountId: PARTNER,
      subnets: [
        { subnetId: PARTNER_SUBNETS[0] ?? '', cidr: '10.20.1.0/24', availabilityZone: 'us-east-1a' },
        { subnetId: PARTNER_SUBNETS[1] ?? '', cidr: '10.20.2.0/24', availabilityZone: 'us-east-1b' },
        // a zone our service does not serve (our subnets are in 1a and 1b only)
        { subnetId: PARTNER_SUBNETS[2] ?? '', cidr: '10.20.3.0/24', availabilityZone: 'us-east-1d' },
      ],
      securityGroupIds: [PARTNER_GROUP],
    },
  ],
  loadBalancers: [{ arn: NLB }],
  endpointServices: [
    { serviceName: VENDOR_SERVICE, availabilityZones: ['us-east-1a', 'us-east-1b'] },
    {
      serviceName: PARTNERS_ONLY,
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      allowedPrincipals: [`arn:aws:iam::${PARTNER}:root`],
    },
  ],
};

let h: Ec2Harness;
let ec2: EC2Client;

beforeEach(() => {
  h = ec2Harness(SEED);
  ec2 = h.client();
});

async function ourService(acceptanceRequired = true) {
  const { ServiceConfiguration } = await ec2.send(
    new CreateVpcEndpointServiceConfigurationCommand({
      NetworkLoadBalancerArns: [NLB],
      AcceptanceRequired: acceptanceRequired,
    }),
  );
  const serviceId = ServiceConfiguration?.ServiceId ?? '';
  const serviceName = ServiceConfiguration?.ServiceName ?? '';
  return { serviceId, serviceName };
}

async function allow(serviceId: string, principal = `arn:aws:iam::${PARTNER}:root`) {
  await ec2.send(
    new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: [principal] }),
  );
}

/** What the partner's own call would throw, as the SDK shapes it. */
function partnerError(action: () => unknown): EC2ServiceException {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(EC2ServiceException);
    return error as EC2ServiceException;
  }
  throw new Error('the partner call did not fail');
}

describe("another account's VPC", () => {
  it('is unknown to the sandbox account: DescribeVpcs, DescribeSubnets and CreateTags answer NotFound', async () => {
    const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({}));
    expect(Vpcs.map((v) => [v.VpcId, v.OwnerId, v.CidrBlock, v.State])).toEqual([
      [VPC, ACCOUNT, '10.0.0.0/16', 'available'],
    ]);
    expect(await ec2Code(ec2.send(new DescribeVpcsCommand({ VpcIds: [PARTNER_VPC] })))).toBe('InvalidVpcID.NotFound');
    const { Subnets = [] } = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: ['*'] }] }),
    );
    expect(Subnets.map((s) => s.SubnetId)).toEqual(SUBNETS);
    expect(Subnets[0]).toMatchObject({
      CidrBlock: '10.0.1.0/24',
      AvailabilityZone: 'us-east-1a',
      AvailableIpAddressCount: 251,
    });
    expect(await ec2Code(ec2.send(new DescribeSubnetsCommand({ SubnetIds: [PARTNER_SUBNETS[0] ?? ''] })))).toBe(
      'InvalidSubnetID.NotFound',
    );
    const tag = (id: string) => ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'a', Value: 'b' }] }));
    expect(await ec2Code(tag(PARTNER_VPC))).toBe('InvalidVpcID.NotFound');
    expect(await ec2Code(tag(PARTNER_SUBNETS[0] ?? ''))).toBe('InvalidSubnetID.NotFound');
    expect(await ec2Code(tag(PARTNER_GROUP))).toBe('InvalidGroup.NotFound');
  });

  it("describes the account's own VPCs and subnets by tag, with the addresses its endpoints leave free", async () => {
    await ec2.send(
      new CreateTagsCommand({ Resources: [VPC, SUBNETS[1] ?? ''], Tags: [{ Key: 'team', Value: 'data' }] }),
    );
    const { Vpcs = [] } = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:team', Values: ['data'] }] }),
    );
    expect(Vpcs.map((v) => [v.VpcId, v.Tags])).toEqual([[VPC, [{ Key: 'team', Value: 'data' }]]]);
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: VPC,
        ServiceName: VENDOR_SERVICE,
        SubnetIds: SUBNETS,
      }),
    );
    const { Subnets = [] } = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'tag-key', Values: ['team'] }] }),
    );
    expect(Subnets.map((s) => [s.SubnetId, s.AvailableIpAddressCount])).toEqual([[SUBNETS[1], 250]]);
    expect(await ec2Code(ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })))).toBe(
      'InvalidParameterValue',
    );
  });

  it('cannot hold an endpoint of the sandbox account, nor lend it subnets or groups', async () => {
    const create = (overrides: object) =>
      ec2.send(
        new CreateVpcEndpointCommand({
          VpcEndpointType: 'Interface',
          VpcId: VPC,
          ServiceName: VENDOR_SERVICE,
          SubnetIds: SUBNETS,
          ...overrides,
        }),
      );
    expect(await ec2Code(create({ VpcId: PARTNER_VPC, SubnetIds: PARTNER_SUBNETS.slice(0, 2) }))).toBe(
      'InvalidVpcID.NotFound',
    );
    expect(await ec2Code(create({ SubnetIds: [SUBNETS[0] ?? '', PARTNER_SUBNETS[1] ?? ''] }))).toBe(
      'InvalidSubnetID.NotFound',
    );
    expect(await ec2Code(create({ SecurityGroupIds: [PARTNER_GROUP] }))).toBe('InvalidGroup.NotFound');
    expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
  });
});

describe('the other party creates its endpoint to our service', () => {
  it('is refused with InvalidServiceName until the account allows it', async () => {
    const { serviceId, serviceName } = await ourService();
    const refused = partnerError(() => h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName }));
    expect(refused).toMatchObject({
      name: 'InvalidServiceName',
      message: `The Vpc Endpoint Service '${serviceName}' does not exist`,
    });
    await allow(serviceId, `arn:aws:iam::${STRANGER}:root`);
    expect(partnerError(() => h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName })).name).toBe(
      'InvalidServiceName',
    );
    await allow(serviceId);
    const { endpointId } = h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName });
    expect(endpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
  });

  it('takes one subnet per zone our service serves, in its own VPC, and waits for our acceptance', async () => {
    const { serviceId, serviceName } = await ourService();
    await allow(serviceId);
    const { endpointId } = h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName });
    const view = h.sim.endpointView(endpointId);
    expect(view).toMatchObject({ state: 'pendingAcceptance', vpcId: PARTNER_VPC, ownerAccount: PARTNER, serviceId });
    expect(view?.privateIpAddresses.map((ip) => ip.split('.').slice(0, 3).join('.'))).toEqual(['10.20.1', '10.20.2']);
    h.advance(3600);
    const { VpcEndpointConnections = [] } = await ec2.send(
      new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'vpc-endpoint-owner', Values: [PARTNER] }] }),
    );
    expect(
      VpcEndpointConnections.map((c) => [c.VpcEndpointId, c.VpcEndpointOwner, c.VpcEndpointState, c.ServiceId]),
    ).toEqual([[endpointId, PARTNER, 'pendingAcceptance', serviceId]]);
    expect(VpcEndpointConnections[0]?.DnsEntries?.[0]?.DnsName).toBe(view?.dnsName);
    const none = await ec2.send(
      new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'vpc-endpoint-owner', Values: [ACCOUNT] }] }),
    );
    expect(none.VpcEndpointConnections).toEqual([]);
    const accepted = await ec2.send(
      new AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: [endpointId] }),
    );
    expect(accepted.Unsuccessful).toEqual([]);
    expect(h.sim.endpointView(endpointId)?.state).toBe('pending');
    h.advance(120);
    expect(h.sim.endpointView(endpointId)?.state).toBe('available');
  });

  it("is not the sandbox account's: not listed, not described, not deletable, and not in its inventory", async () => {
    const { serviceId, serviceName } = await ourService(false);
    await allow(serviceId);
    const { endpointId } = h.sim.createEndpointAs(PARTNER, {
      vpcId: PARTNER_VPC,
      serviceName,
      subnetIds: [PARTNER_SUBNETS[1] ?? ''],
    });
    expect(h.sim.endpointView(endpointId)?.state).toBe('pending');
    expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
    expect(await ec2Code(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })))).toBe(
      'InvalidVpcEndpointId.NotFound',
    );
    const { Unsuccessful = [] } = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    expect(Unsuccessful.map((u) => u.Error?.Code)).toEqual(['InvalidVpcEndpoint.NotFound']);
    const { NetworkInterfaces = [] } = await ec2.send(new DescribeNetworkInterfacesCommand({}));
    expect(NetworkInterfaces).toEqual([]);
    expect(h.sim.inventory().endpoints).toEqual([]);
    // Its connection keeps our service from being deleted until we reject it, as AWS does.
    const blocked = await ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
    expect(blocked.Unsuccessful?.map((u) => u.Error?.Code)).toEqual(['ExistingVpcEndpointConnections']);
  });

  it('keeps an existing connection when the permission is removed, and refuses new ones', async () => {
    // AWS: "If you remove permissions, it does not affect existing connections" (configure-endpoint-service.html;
    // also github.com/hashicorp/terraform-provider-aws/issues/37260).
    const { serviceId, serviceName } = await ourService(false);
    await allow(serviceId);
    const { endpointId } = h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName });
    await ec2.send(
      new ModifyVpcEndpointServicePermissionsCommand({
        ServiceId: serviceId,
        RemoveAllowedPrincipals: [`arn:aws:iam::${PARTNER}:root`],
      }),
    );
    h.advance(120);
    expect(h.sim.endpointView(endpointId)?.state).toBe('available');
    expect(partnerError(() => h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName })).name).toBe(
      'InvalidServiceName',
    );
  });

  it.each([
    ['a VPC of the sandbox account', { vpcId: VPC }, 'InvalidVpcID.NotFound'],
    ['an unknown VPC', { vpcId: 'vpc-0000000000000000f' }, 'InvalidVpcID.NotFound'],
    ['a subnet of the sandbox account', { subnetIds: [SUBNETS[0] ?? ''] }, 'InvalidSubnetID.NotFound'],
    ['a zone the service does not serve', { subnetIds: [PARTNER_SUBNETS[2] ?? ''] }, 'InvalidParameter'],
    [
      'an unknown service',
      { serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0000000000000000f' },
      'InvalidServiceName',
    ],
  ])('refuses %s with %s', async (_what, overrides, code) => {
    const { serviceId, serviceName } = await ourService();
    await allow(serviceId);
    const error = partnerError(() =>
      h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName, ...overrides }),
    );
    expect(error.name).toBe(code);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe("the other party and a vendor's service", () => {
  it("connects to a vendor's service that allows it and waits for the vendor", () => {
    const { endpointId } = h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName: PARTNERS_ONLY });
    expect(h.sim.endpointView(endpointId)?.state).toBe('pendingAcceptance');
    expect(h.sim.vendorDecide(endpointId, 'accept').state).toBe('pending');
  });

  it('is refused by a service that allows only another account', () => {
    const { serviceName } = h.sim.addVendorService({
      owner: '536727724300',
      region: 'us-east-1',
      acceptanceRequired: true,
      allowedPrincipals: [`arn:aws:iam::${ACCOUNT}:root`],
    });
    expect(partnerError(() => h.sim.createEndpointAs(PARTNER, { vpcId: PARTNER_VPC, serviceName })).name).toBe(
      'InvalidServiceName',
    );
    expect(
      partnerError(() => h.sim.createEndpointAs(STRANGER, { vpcId: PARTNER_VPC, serviceName: PARTNERS_ONLY })).name,
    ).toBe('InvalidVpcID.NotFound');
  });
});

describe('a state file from before other accounts', () => {
  it('reads endpoints without an owner as the sandbox account', async () => {
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: VPC,
        ServiceName: VENDOR_SERVICE,
        SubnetIds: SUBNETS,
      }),
    );
    const old = h.reload((json) => {
      delete json.vendorServices;
      for (const e of json.endpoints as Record<string, unknown>[]) delete e.ownerAccount;
    });
    const { VpcEndpoints = [] } = await old.client().send(new DescribeVpcEndpointsCommand({}));
    expect(VpcEndpoints.map((e) => [e.VpcEndpointId, e.OwnerId])).toEqual([[VpcEndpoint?.VpcEndpointId, ACCOUNT]]);
    expect(
      old.sim.addVendorService({ owner: '536727724300', region: 'us-east-1', acceptanceRequired: true }).serviceId,
    ).toMatch(/^vpce-svc-/);
  });
});

describe('inventory', () => {
  it("lists the account's endpoints with their regional DNS name and addresses", async () => {
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: VPC,
        ServiceName: VENDOR_SERVICE,
        SubnetIds: SUBNETS,
        TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'privatelink:request-id', Value: 'r1' }] }],
      }),
    );
    const endpointId = VpcEndpoint?.VpcEndpointId ?? '';
    const { NetworkInterfaces = [] } = await ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: VpcEndpoint?.NetworkInterfaceIds }),
    );
    expect(h.sim.inventory().endpoints).toEqual([
      {
        endpointId,
        state: 'pendingAcceptance',
        tags: { 'privatelink:request-id': 'r1' },
        dnsName: VpcEndpoint?.DnsEntries?.[0]?.DnsName,
        privateIpAddresses: NetworkInterfaces.map((n) => n.PrivateIpAddress),
      },
    ]);
  });
});
