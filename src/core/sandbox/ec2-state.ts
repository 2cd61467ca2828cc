// The EC2 simulation's persisted state, the seed it reads, and the endpoint lifecycle. Lifecycles are
// stored as timestamps and read against the simulated clock, so nothing has to tick in the background.
import type { SandboxTiming, SimContext } from './context.ts';
import { type Cidr, parseCidr } from './sandbox-net.ts';
import { type SandboxSeed, serviceRegion } from './seed.ts';

export type Tags = Record<string, string>;

/** What `--fault endpoint:…` makes of the endpoints created while it is set. */
export type EndpointFate = 'failed' | 'rejected';

export interface ServiceRecord {
  serviceId: string;
  serviceName: string;
  region: string;
  acceptanceRequired: boolean;
  networkLoadBalancerArns: string[];
  availabilityZones: string[];
  createdAt: number;
  deletedAt?: number;
  tags: Tags;
}

export interface EndpointRecord {
  endpointId: string;
  /** the account that created it: the sandbox account, or another one (createEndpointAs) */
  ownerAccount: string;
  region: string;
  vpcId: string;
  serviceName: string;
  serviceId: string;
  subnetIds: string[];
  groupIds: string[];
  networkInterfaceIds: string[];
  dnsSuffix: string;
  privateDnsEnabled: boolean;
  /** who accepts: nobody (immediate), the sandbox account (AcceptVpcEndpointConnections) or a vendor */
  acceptance: 'none' | 'owner' | 'vendor';
  createdAt: number;
  /** when a vendor that accepts on its own (seed `vendorAcceptsAfterSeconds`) does */
  vendorAcceptsAt?: number;
  acceptedAt?: number;
  rejectedAt?: number;
  deletedAt?: number;
  fate?: EndpointFate;
  tags: Tags;
}

export interface NetworkInterfaceRecord {
  networkInterfaceId: string;
  endpointId: string;
  region: string;
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
  privateIpAddress: string;
  groupIds: string[];
  tags: Tags;
}

export interface RuleRecord {
  ruleId: string;
  groupId: string;
  region: string;
  ipProtocol: string;
  fromPort: number;
  toPort: number;
  sourceGroupId?: string;
  cidrIpv4?: string;
  description?: string;
  tags: Tags;
}

export interface PermissionRecord {
  permissionId: string;
  serviceId: string;
  principal: string;
}

export interface Ec2State {
  services: ServiceRecord[];
  /** vendors' services created at run time (addVendorService, e.g. the ones Atlas creates) */
  vendorServices: VendorService[];
  endpoints: EndpointRecord[];
  networkInterfaces: NetworkInterfaceRecord[];
  rules: RuleRecord[];
  permissions: PermissionRecord[];
  /** `Operation:region:ClientToken` → the request's fingerprint and the resource it created */
  clientTokens: Record<string, { fingerprint: string; resourceId: string; firstAnswer?: unknown }>;
  /** tags put on seed resources (VPCs, subnets, security groups) with CreateTags */
  seedTags: Record<string, Tags>;
}

export function emptyEc2State(): Ec2State {
  return {
    services: [],
    vendorServices: [],
    endpoints: [],
    networkInterfaces: [],
    rules: [],
    permissions: [],
    clientTokens: {},
    seedTags: {},
  };
}

export interface SeedSubnet {
  subnetId: string;
  vpcId: string;
  /** the account that owns the VPC */
  accountId: string;
  region: string;
  availabilityZone: string;
  cidr: Cidr;
  cidrText: string;
}

/** A service another account owns: a vendor's from the seed, or one created at run time. */
export interface VendorService {
  serviceName: string;
  serviceId: string;
  region: string;
  acceptanceRequired: boolean;
  owner: string;
  availabilityZones: string[];
  allowedPrincipals: string[];
  /** the vendor accepts each endpoint on its own this long after its creation; otherwise only when it acts */
  vendorAcceptsAfterSeconds?: number;
  tags: Tags;
  /** run-time services only */
  createdAt?: number;
  deletedAt?: number;
}

export interface SeedVpc {
  vpcId: string;
  region: string;
  cidr: string;
  /** the account that owns it: the sandbox account unless the seed names another */
  accountId: string;
}

/** Everything an operation needs: the account, its state, and the seed indexed by id. */
export interface Ec2World {
  ctx: SimContext;
  state: Ec2State;
  vpcs: Map<string, SeedVpc>;
  subnets: Map<string, SeedSubnet>;
  groups: Map<string, { groupId: string; vpcId: string; region: string; accountId: string }>;
  loadBalancers: Set<string>;
  /** the seed's vendor services by name */
  seedVendorServices: Map<string, VendorService>;
  endpointFate(): EndpointFate | undefined;
}

export function buildWorld(
  ctx: SimContext,
  state: Ec2State,
  seed: SandboxSeed,
  endpointFate: () => EndpointFate | undefined,
): Ec2World {
  // State files written before other accounts and run-time vendor services existed lack these.
  state.vendorServices ??= [];
  for (const e of state.endpoints) e.ownerAccount ??= ctx.accountId;
  const vpcs = new Map<string, SeedVpc>();
  const subnets = new Map<string, SeedSubnet>();
  const groups = new Map<string, { groupId: string; vpcId: string; region: string; accountId: string }>();
  for (const vpc of seed.vpcs) {
    const accountId = vpc.accountId ?? ctx.accountId;
    vpcs.set(vpc.vpcId, { vpcId: vpc.vpcId, region: vpc.region, cidr: vpc.cidr, accountId });
    for (const s of vpc.subnets) {
      const cidr = parseCidr(s.cidr);
      if (!cidr) throw new Error(`seed subnet ${s.subnetId} has an invalid CIDR ${s.cidr}`);
      subnets.set(s.subnetId, {
        subnetId: s.subnetId,
        vpcId: vpc.vpcId,
        accountId,
        region: vpc.region,
        availabilityZone: s.availabilityZone,
        cidr,
        cidrText: s.cidr,
      });
    }
    for (const groupId of vpc.securityGroupIds)
      groups.set(groupId, { groupId, vpcId: vpc.vpcId, region: vpc.region, accountId });
  }
  const vendorServices = new Map<string, VendorService>();
  for (const s of seed.endpointServices) {
    const region = serviceRegion(s.serviceName) ?? '';
    vendorServices.set(s.serviceName, {
      serviceName: s.serviceName,
      serviceId: s.serviceName.slice(s.serviceName.lastIndexOf('.') + 1),
      region,
      acceptanceRequired: s.acceptanceRequired,
      owner: s.owner,
      availabilityZones: s.availabilityZones ?? zonesIn(subnets, region),
      allowedPrincipals: [...s.allowedPrincipals],
      ...(s.vendorAcceptsAfterSeconds !== undefined && { vendorAcceptsAfterSeconds: s.vendorAcceptsAfterSeconds }),
      tags: {},
    });
  }
  return {
    ctx,
    state,
    vpcs,
    subnets,
    groups,
    loadBalancers: new Set(seed.loadBalancers.map((lb) => lb.arn)),
    seedVendorServices: vendorServices,
    endpointFate,
  };
}

/** The zones the seed's subnets (of one account, if given) use in a region, sorted. */
export function zonesIn(subnets: Map<string, SeedSubnet>, region: string, accountId?: string): string[] {
  const inRegion = [...subnets.values()].filter(
    (s) => s.region === region && (accountId === undefined || s.accountId === accountId),
  );
  const zones = new Set(inRegion.map((s) => s.availabilityZone));
  return [...zones].sort();
}

export type EndpointState =
  | 'pendingAcceptance'
  | 'pending'
  | 'available'
  | 'rejected'
  | 'failed'
  | 'deleting'
  /** deleted long enough ago that AWS no longer lists it */
  | 'gone';

/** When the connection was (or will be) accepted; undefined while the service's owner has not acted. */
function acceptedAt(e: EndpointRecord, timing: SandboxTiming): number | undefined {
  if (e.acceptedAt !== undefined) return e.acceptedAt;
  if (e.acceptance === 'owner') return undefined;
  // `--fault endpoint:rejected`: the service says no after the timing's vendorAcceptsAfterSeconds.
  if (e.fate === 'rejected') return e.createdAt + timing.vendorAcceptsAfterSeconds * 1000;
  // A vendor accepts only when it acts: on its own if the seed says so, else through vendorDecide.
  if (e.acceptance === 'vendor') return e.vendorAcceptsAt;
  return e.createdAt;
}

export function endpointState(e: EndpointRecord, timing: SandboxTiming, now: number): EndpointState {
  if (e.deletedAt !== undefined)
    return now >= e.deletedAt + timing.endpointDeletedAfterSeconds * 1000 ? 'gone' : 'deleting';
  if (e.rejectedAt !== undefined && now >= e.rejectedAt) return 'rejected';
  const accepted = acceptedAt(e, timing);
  if (accepted === undefined || now < accepted) return 'pendingAcceptance';
  if (e.fate === 'rejected') return 'rejected';
  if (now < accepted + timing.endpointAvailableAfterSeconds * 1000) return 'pending';
  return e.fate === 'failed' ? 'failed' : 'available';
}

export function stateOf(w: Ec2World, e: EndpointRecord): EndpointState {
  return endpointState(e, w.ctx.timing, w.ctx.now());
}

/** Every account's endpoints still listed by AWS. */
export function allLiveEndpoints(w: Ec2World): EndpointRecord[] {
  return w.state.endpoints.filter((e) => stateOf(w, e) !== 'gone');
}

/** The sandbox account's own endpoints: all its calls see (DescribeVpcEndpoints lists only the caller's). */
export function liveEndpoints(w: Ec2World): EndpointRecord[] {
  return allLiveEndpoints(w).filter((e) => e.ownerAccount === w.ctx.accountId);
}

/** Every account's network interfaces of live endpoints (addresses are unique whoever owns them). */
export function allLiveNetworkInterfaces(w: Ec2World): NetworkInterfaceRecord[] {
  const live = new Set(allLiveEndpoints(w).map((e) => e.endpointId));
  return w.state.networkInterfaces.filter((n) => live.has(n.endpointId));
}

/** The interfaces of the sandbox account's own endpoints. */
export function liveNetworkInterfaces(w: Ec2World): NetworkInterfaceRecord[] {
  const live = new Set(liveEndpoints(w).map((e) => e.endpointId));
  return w.state.networkInterfaces.filter((n) => live.has(n.endpointId));
}

/** Vendors' services that still exist: the seed's and those created at run time. */
export function liveVendorServices(w: Ec2World): VendorService[] {
  return [...w.seedVendorServices.values(), ...w.state.vendorServices.filter((s) => s.deletedAt === undefined)];
}

export function liveServices(w: Ec2World): ServiceRecord[] {
  return w.state.services.filter((s) => s.deletedAt === undefined);
}
