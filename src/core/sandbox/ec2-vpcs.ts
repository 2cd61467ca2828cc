// The seed's VPCs and subnets as the sandbox account sees them: its own only. A VPC of another account
// (the other party of a hand-off) is InvalidVpcID.NotFound to it, as AWS answers for a VPC it cannot see.
import type {
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import { alnum, applyFilters, page, pickByIds, tagList } from './ec2-shared.ts';
import { allLiveNetworkInterfaces, type Ec2World, type SeedSubnet, type SeedVpc } from './ec2-state.ts';

function ownVpcs(w: Ec2World, region: string): SeedVpc[] {
  return [...w.vpcs.values()].filter((v) => v.region === region && v.accountId === w.ctx.accountId);
}

function describeVpc(w: Ec2World, v: SeedVpc): Vpc {
  return {
    VpcId: v.vpcId,
    OwnerId: v.accountId,
    CidrBlock: v.cidr,
    CidrBlockAssociationSet: [
      {
        AssociationId: `vpc-cidr-assoc-${alnum(v.vpcId, 17)}`,
        CidrBlock: v.cidr,
        CidrBlockState: { State: 'associated' },
      },
    ],
    State: 'available',
    InstanceTenancy: 'default',
    IsDefault: false,
    Tags: tagList(w.state.seedTags[v.vpcId] ?? {}),
  };
}

export function describeVpcs(w: Ec2World, input: DescribeVpcsRequest, region: string): DescribeVpcsResult {
  const vpcs = pickByIds(
    ownVpcs(w, region),
    input.VpcIds,
    (v) => v.vpcId,
    'InvalidVpcID.NotFound',
    (id) => `The vpc ID '${id}' does not exist`,
  );
  const filtered = applyFilters(
    vpcs,
    input.Filters,
    {
      'vpc-id': (v) => [v.vpcId],
      'cidr-block-association.cidr-block': (v) => [v.cidr],
      cidr: (v) => [v.cidr],
      'owner-id': (v) => [v.accountId],
      state: () => ['available'],
      'is-default': () => ['false'],
    },
    (v) => w.state.seedTags[v.vpcId] ?? {},
  );
  const { items, NextToken } = page(filtered, input.MaxResults, input.NextToken);
  return { Vpcs: items.map((v) => describeVpc(w, v)), ...(NextToken && { NextToken }) };
}

function describeSubnet(w: Ec2World, s: SeedSubnet, used: number): Subnet {
  return {
    SubnetId: s.subnetId,
    SubnetArn: `arn:aws:ec2:${s.region}:${s.accountId}:subnet/${s.subnetId}`,
    VpcId: s.vpcId,
    OwnerId: s.accountId,
    CidrBlock: s.cidrText,
    AvailabilityZone: s.availabilityZone,
    // AWS reserves the first four addresses and the last of every subnet.
    AvailableIpAddressCount: s.cidr.size - 5 - used,
    State: 'available',
    DefaultForAz: false,
    MapPublicIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    Tags: tagList(w.state.seedTags[s.subnetId] ?? {}),
  };
}

export function describeSubnets(w: Ec2World, input: DescribeSubnetsRequest, region: string): DescribeSubnetsResult {
  const own = [...w.subnets.values()].filter((s) => s.region === region && s.accountId === w.ctx.accountId);
  const subnets = pickByIds(
    own,
    input.SubnetIds,
    (s) => s.subnetId,
    'InvalidSubnetID.NotFound',
    (id) => `The subnet ID '${id}' does not exist`,
  );
  const filtered = applyFilters(
    subnets,
    input.Filters,
    {
      'subnet-id': (s) => [s.subnetId],
      'vpc-id': (s) => [s.vpcId],
      'availability-zone': (s) => [s.availabilityZone],
      'cidr-block': (s) => [s.cidrText],
      'owner-id': (s) => [s.accountId],
      state: () => ['available'],
    },
    (s) => w.state.seedTags[s.subnetId] ?? {},
  );
  const used = new Map<string, number>();
  for (const n of allLiveNetworkInterfaces(w)) used.set(n.subnetId, (used.get(n.subnetId) ?? 0) + 1);
  const { items, NextToken } = page(filtered, input.MaxResults, input.NextToken);
  return {
    Subnets: items.map((s) => describeSubnet(w, s, used.get(s.subnetId) ?? 0)),
    ...(NextToken && { NextToken }),
  };
}
