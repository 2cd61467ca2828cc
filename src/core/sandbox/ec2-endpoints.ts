// Consumer side: interface endpoints and their network interfaces, the sandbox account's and (for the
// other party of a hand-off) another account's. Each account sees only its own VPCs and endpoints.
import type {
  CreateVpcEndpointRequest,
  CreateVpcEndpointResult,
  DeleteVpcEndpointsRequest,
  DeleteVpcEndpointsResult,
  DescribeNetworkInterfacesRequest,
  DescribeNetworkInterfacesResult,
  DescribeVpcEndpointsRequest,
  DescribeVpcEndpointsResult,
  DnsEntry,
  NetworkInterface,
  UnsuccessfulItem,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { allowsAccount } from './ec2-principals.ts';
import {
  alnum,
  applyFilters,
  ec2Fail,
  hashIndex,
  idempotent,
  mergeTags,
  page,
  pickByIds,
  required,
  tagList,
  tagsFromSpecifications,
} from './ec2-shared.ts';
import {
  allLiveEndpoints,
  allLiveNetworkInterfaces,
  type Ec2World,
  type EndpointRecord,
  liveEndpoints,
  liveNetworkInterfaces,
  liveServices,
  liveVendorServices,
  type NetworkInterfaceRecord,
  type SeedSubnet,
  stateOf,
} from './ec2-state.ts';
import { formatIpv4 } from './sandbox-net.ts';

/** Route 53 zones that hold the vpce.amazonaws.com names, for alias records. */
const VPCE_ALIAS_ZONES: Record<string, string> = {
  'us-east-1': 'Z7HUB22UULQXV',
  'us-east-2': 'ZC8PG0KIFKBRI',
  'us-west-2': 'Z1YSA3EXCYUU9Z',
  'eu-west-1': 'Z38GZ743OKFT7T',
};
/** Made up: the sandbox does not know the real zone of the other regions. */
const SANDBOX_VPCE_ALIAS_ZONE = 'Z00SANDBOXVPCE0000000';

export function vpceAliasZone(region: string): string {
  return (Object.hasOwn(VPCE_ALIAS_ZONES, region) && VPCE_ALIAS_ZONES[region]) || SANDBOX_VPCE_ALIAS_ZONE;
}

export function dnsEntries(w: Ec2World, e: EndpointRecord): DnsEntry[] {
  const serviceId = e.serviceName.slice(e.serviceName.lastIndexOf('.') + 1);
  const domain = `${serviceId}.${e.region}.vpce.amazonaws.com`;
  const HostedZoneId = vpceAliasZone(e.region);
  const zones = [...new Set(e.subnetIds.map((id) => w.subnets.get(id)?.availabilityZone ?? ''))].sort();
  return [
    { DnsName: `${e.endpointId}-${e.dnsSuffix}.${domain}`, HostedZoneId },
    ...zones.map((zone) => ({ DnsName: `${e.endpointId}-${e.dnsSuffix}-${zone}.${domain}`, HostedZoneId })),
  ];
}

export function describeEndpoint(w: Ec2World, e: EndpointRecord): VpcEndpoint {
  return {
    VpcEndpointId: e.endpointId,
    VpcEndpointType: 'Interface',
    VpcId: e.vpcId,
    ServiceName: e.serviceName,
    // EC2 answers camelCase states (`pendingAcceptance`) although the SDK's enum is capitalised.
    State: stateOf(w, e) as VpcEndpoint['State'],
    RouteTableIds: [],
    SubnetIds: [...e.subnetIds],
    Groups: e.groupIds.map((GroupId) => ({ GroupId })),
    IpAddressType: 'ipv4',
    DnsOptions: { DnsRecordIpType: 'ipv4' },
    PrivateDnsEnabled: e.privateDnsEnabled,
    RequesterManaged: false,
    NetworkInterfaceIds: [...e.networkInterfaceIds],
    DnsEntries: dnsEntries(w, e),
    CreationTimestamp: new Date(e.createdAt),
    Tags: tagList(e.tags),
    OwnerId: e.ownerAccount,
  };
}

/** The principals the sandbox account allowed on one of its services (ModifyVpcEndpointServicePermissions). */
export function servicePrincipals(w: Ec2World, serviceId: string): string[] {
  return w.state.permissions.filter((p) => p.serviceId === serviceId).map((p) => p.principal);
}

interface ResolvedService {
  serviceId: string;
  zones: string[];
  acceptance: EndpointRecord['acceptance'];
  vendorAcceptsAfterSeconds?: number;
}

/**
 * The service an endpoint from `caller` would connect to, as the consumer's region sees it. A service
 * the caller is not allowed to discover answers as an unknown one does: AWS says InvalidServiceName
 * ("The Vpc Endpoint Service '…' does not exist") to an account outside its allowed principals
 * (github.com/aws/aws-cdk/issues/28851; github.com/cloud-custodian/cloud-custodian/pull/10741).
 */
function resolveService(w: Ec2World, serviceName: string, region: string, caller: string): ResolvedService {
  const vendor = liveVendorServices(w).find((v) => v.serviceName === serviceName && v.region === region);
  if (vendor && (caller === vendor.owner || allowsAccount(vendor.allowedPrincipals, caller)))
    return {
      serviceId: vendor.serviceId,
      zones: vendor.availabilityZones,
      acceptance: vendor.acceptanceRequired ? 'vendor' : 'none',
      ...(vendor.vendorAcceptsAfterSeconds !== undefined && {
        vendorAcceptsAfterSeconds: vendor.vendorAcceptsAfterSeconds,
      }),
    };
  const own = liveServices(w).find((s) => s.serviceName === serviceName && s.region === region);
  // The owner always reaches its own service; other accounts only once allowed.
  if (own && (caller === w.ctx.accountId || allowsAccount(servicePrincipals(w, own.serviceId), caller)))
    return {
      serviceId: own.serviceId,
      zones: own.availabilityZones,
      acceptance: own.acceptanceRequired ? 'owner' : 'none',
    };
  return ec2Fail('InvalidServiceName', `The Vpc Endpoint Service '${serviceName}' does not exist`);
}

function checkSubnets(
  w: Ec2World,
  subnetIds: string[],
  vpcId: string,
  region: string,
  zones: string[],
  caller: string,
): SeedSubnet[] {
  const subnets = subnetIds.map((id) => {
    const subnet = w.subnets.get(id);
    if (!subnet || subnet.region !== region || subnet.accountId !== caller)
      return ec2Fail('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
    if (subnet.vpcId !== vpcId)
      ec2Fail('InvalidParameter', `The subnet ID '${id}' belongs to a different VPC than '${vpcId}'`);
    return subnet;
  });
  const seenZones = new Set<string>();
  for (const subnet of subnets) {
    if (seenZones.has(subnet.availabilityZone))
      ec2Fail(
        'DuplicateSubnetsInSameZone',
        `Found another VPC endpoint subnet in the availability zone of ${subnet.subnetId}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
      );
    seenZones.add(subnet.availabilityZone);
    if (!zones.includes(subnet.availabilityZone))
      ec2Fail(
        'InvalidParameter',
        `The VPC endpoint service does not support the availability zone of the subnet: ${subnet.subnetId}.`,
      );
  }
  return subnets;
}

/**
 * A free address in the subnet, skipping the 4 first and the last as AWS reserves them. The start is
 * derived from the interface id, so addresses look scattered but stay the same from run to run.
 */
function allocateIp(subnet: SeedSubnet, networkInterfaceId: string, taken: Set<string>): string {
  const usable = subnet.cidr.size - 5;
  const start = hashIndex(networkInterfaceId, usable);
  for (let i = 0; i < usable; i++) {
    const ip = formatIpv4(subnet.cidr.base + 4 + ((start + i) % usable));
    if (!taken.has(ip)) return ip;
  }
  return ec2Fail(
    'InsufficientFreeAddressesInSubnet',
    `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`,
  );
}

/** The caller's VPC in the region, or the NotFound AWS answers (another account's VPC is unknown to it). */
function callerVpc(w: Ec2World, vpcId: string, region: string | undefined, caller: string) {
  const vpc = w.vpcs.get(vpcId);
  if (!vpc || (region !== undefined && vpc.region !== region) || vpc.accountId !== caller)
    return ec2Fail('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  return vpc;
}

function create(w: Ec2World, input: CreateVpcEndpointRequest, region: string, caller: string): EndpointRecord {
  const vpcId = required(input.VpcId, 'VpcId');
  const serviceName = required(input.ServiceName, 'ServiceName');
  callerVpc(w, vpcId, region, caller);
  const service = resolveService(w, serviceName, region, caller);
  const type = input.VpcEndpointType ?? 'Gateway';
  if (type !== 'Interface')
    ec2Fail('InvalidParameter', `Endpoint type (${type}) does not match available service types ([Interface]).`);
  const subnetIds = input.SubnetIds ?? [];
  if (subnetIds.length === 0) ec2Fail('InvalidParameter', 'An interface endpoint needs at least one subnet');
  const subnets = checkSubnets(w, subnetIds, vpcId, region, service.zones, caller);
  const groupIds = [...new Set(input.SecurityGroupIds ?? [])];
  for (const groupId of groupIds) {
    const group = w.groups.get(groupId);
    if (!group || group.vpcId !== vpcId || group.accountId !== caller)
      ec2Fail('InvalidGroup.NotFound', `The security group '${groupId}' does not exist in VPC '${vpcId}'`);
  }
  if (input.PrivateDnsEnabled)
    ec2Fail(
      'InvalidParameter',
      `Private DNS can't be enabled because the service ${serviceName} does not provide a private DNS name.`,
    );
  if (input.IpAddressType && input.IpAddressType !== 'ipv4')
    ec2Fail(
      'InvalidParameter',
      `The subnets of ${vpcId} have no IPv6 CIDR block for IpAddressType ${input.IpAddressType}`,
    );
  const tags = mergeTags({}, tagsFromSpecifications(input.TagSpecifications, 'vpc-endpoint'), 'vpc-endpoint');

  const endpointId = w.ctx.newId('vpce', 17);
  const taken = new Set(allLiveNetworkInterfaces(w).map((n) => n.privateIpAddress));
  const interfaces: NetworkInterfaceRecord[] = subnets.map((subnet) => {
    const networkInterfaceId = w.ctx.newId('eni', 17);
    const privateIpAddress = allocateIp(subnet, networkInterfaceId, taken);
    taken.add(privateIpAddress);
    return {
      networkInterfaceId,
      endpointId,
      region,
      vpcId,
      subnetId: subnet.subnetId,
      availabilityZone: subnet.availabilityZone,
      privateIpAddress,
      groupIds,
      tags: {},
    };
  });
  const fate = w.endpointFate();
  const createdAt = w.ctx.now();
  const record: EndpointRecord = {
    endpointId,
    ownerAccount: caller,
    region,
    vpcId,
    serviceName,
    serviceId: service.serviceId,
    subnetIds: [...subnetIds],
    groupIds,
    networkInterfaceIds: interfaces.map((n) => n.networkInterfaceId),
    dnsSuffix: alnum(`${endpointId}:dns`, 8),
    privateDnsEnabled: false,
    acceptance: service.acceptance,
    createdAt,
    ...(service.acceptance === 'vendor' &&
      service.vendorAcceptsAfterSeconds !== undefined && {
        vendorAcceptsAt: createdAt + service.vendorAcceptsAfterSeconds * 1000,
      }),
    ...(fate && { fate }),
    tags,
  };
  w.state.endpoints.push(record);
  w.state.networkInterfaces.push(...interfaces);
  return record;
}

export function createVpcEndpoint(
  w: Ec2World,
  input: CreateVpcEndpointRequest,
  region: string,
): CreateVpcEndpointResult {
  const endpoint = idempotent(
    w,
    'CreateVpcEndpoint',
    region,
    input,
    (id) => liveEndpoints(w).find((e) => e.endpointId === id),
    () => {
      const record = create(w, input, region, w.ctx.accountId);
      return { resourceId: record.endpointId, result: record };
    },
  );
  return { VpcEndpoint: describeEndpoint(w, endpoint), ...(input.ClientToken && { ClientToken: input.ClientToken }) };
}

/**
 * Another account (a seed VPC's `accountId`) creates an interface endpoint in its VPC, as its own
 * CreateVpcEndpoint would: the service's allowed principals and acceptance apply to it. Without subnets,
 * one of the VPC's subnets in each zone the service supports, in seed order.
 */
export function createEndpointAs(
  w: Ec2World,
  accountId: string,
  args: { vpcId: string; subnetIds?: string[]; serviceName: string },
): EndpointRecord {
  const vpc = callerVpc(w, args.vpcId, undefined, accountId);
  let subnetIds = args.subnetIds;
  if (!subnetIds?.length) {
    const zones = new Set(resolveService(w, args.serviceName, vpc.region, accountId).zones);
    subnetIds = [];
    for (const subnet of w.subnets.values())
      if (subnet.vpcId === vpc.vpcId && zones.delete(subnet.availabilityZone)) subnetIds.push(subnet.subnetId);
  }
  const input = {
    VpcEndpointType: 'Interface' as const,
    VpcId: vpc.vpcId,
    ServiceName: args.serviceName,
    SubnetIds: subnetIds,
  };
  return create(w, input, vpc.region, accountId);
}

/** What the service's owner (or the public DNS) sees of any account's endpoint. */
export function viewEndpoint(w: Ec2World, endpointId: string) {
  const e = allLiveEndpoints(w).find((candidate) => candidate.endpointId === endpointId);
  if (!e) return undefined;
  const addresses = new Map(w.state.networkInterfaces.map((n) => [n.networkInterfaceId, n.privateIpAddress]));
  const dnsName = dnsEntries(w, e)[0]?.DnsName;
  return {
    endpointId: e.endpointId,
    state: stateOf(w, e),
    serviceId: e.serviceId,
    serviceName: e.serviceName,
    vpcId: e.vpcId,
    ownerAccount: e.ownerAccount,
    ...(dnsName && { dnsName }),
    privateIpAddresses: e.networkInterfaceIds.flatMap((id) => addresses.get(id) ?? []),
  };
}

export function findEndpoint(w: Ec2World, endpointId: string, region: string): EndpointRecord | undefined {
  return liveEndpoints(w).find((e) => e.endpointId === endpointId && e.region === region);
}

export function describeVpcEndpoints(
  w: Ec2World,
  input: DescribeVpcEndpointsRequest,
  region: string,
): DescribeVpcEndpointsResult {
  const endpoints = pickByIds(
    liveEndpoints(w).filter((e) => e.region === region),
    input.VpcEndpointIds,
    (e) => e.endpointId,
    'InvalidVpcEndpointId.NotFound',
    (id) => `The Vpc Endpoint Id '${id}' does not exist`,
  );
  const filtered = applyFilters(
    endpoints,
    input.Filters,
    {
      'service-name': (e) => [e.serviceName],
      'vpc-id': (e) => [e.vpcId],
      'vpc-endpoint-id': (e) => [e.endpointId],
      'vpc-endpoint-state': (e) => [stateOf(w, e)],
      'vpc-endpoint-type': () => ['Interface'],
      'ip-address-type': () => ['ipv4'],
    },
    (e) => e.tags,
  );
  const { items, NextToken } = page(filtered, input.MaxResults, input.NextToken);
  return { VpcEndpoints: items.map((e) => describeEndpoint(w, e)), ...(NextToken && { NextToken }) };
}

export function deleteVpcEndpoints(
  w: Ec2World,
  input: DeleteVpcEndpointsRequest,
  region: string,
): DeleteVpcEndpointsResult {
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of required(input.VpcEndpointIds, 'VpcEndpointIds')) {
    const endpoint = findEndpoint(w, id, region);
    if (!endpoint) {
      Unsuccessful.push({
        Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: `The VPC endpoint ${id} does not exist` },
        ResourceId: id,
      });
      continue;
    }
    endpoint.deletedAt ??= w.ctx.now();
  }
  return { Unsuccessful };
}

function describeNetworkInterface(w: Ec2World, n: NetworkInterfaceRecord): NetworkInterface {
  return {
    NetworkInterfaceId: n.networkInterfaceId,
    AvailabilityZone: n.availabilityZone,
    Description: `VPC Endpoint Interface ${n.endpointId}`,
    Groups: n.groupIds.map((GroupId) => ({ GroupId })),
    InterfaceType: 'vpc_endpoint',
    Ipv6Addresses: [],
    OwnerId: w.ctx.accountId,
    RequesterId: 'amazon-aws',
    RequesterManaged: true,
    SourceDestCheck: true,
    Status: 'in-use',
    SubnetId: n.subnetId,
    VpcId: n.vpcId,
    PrivateIpAddress: n.privateIpAddress,
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: n.privateIpAddress }],
    TagSet: tagList(n.tags),
  };
}

export function describeNetworkInterfaces(
  w: Ec2World,
  input: DescribeNetworkInterfacesRequest,
  region: string,
): DescribeNetworkInterfacesResult {
  const interfaces = pickByIds(
    liveNetworkInterfaces(w).filter((n) => n.region === region),
    input.NetworkInterfaceIds,
    (n) => n.networkInterfaceId,
    'InvalidNetworkInterfaceID.NotFound',
    (id) => `The networkInterface ID '${id}' does not exist`,
  );
  const filtered = applyFilters(
    interfaces,
    input.Filters,
    {
      'network-interface-id': (n) => [n.networkInterfaceId],
      'subnet-id': (n) => [n.subnetId],
      'vpc-id': (n) => [n.vpcId],
      'availability-zone': (n) => [n.availabilityZone],
      'interface-type': () => ['vpc_endpoint'],
      description: (n) => [`VPC Endpoint Interface ${n.endpointId}`],
      'group-id': (n) => n.groupIds,
      'private-ip-address': (n) => [n.privateIpAddress],
      'addresses.private-ip-address': (n) => [n.privateIpAddress],
    },
    (n) => n.tags,
  );
  const { items, NextToken } = page(filtered, input.MaxResults, input.NextToken);
  return { NetworkInterfaces: items.map((n) => describeNetworkInterface(w, n)), ...(NextToken && { NextToken }) };
}
