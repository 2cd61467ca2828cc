// The simulated EC2 API of the sandbox account: endpoint services, interface endpoints, their network
// interfaces, security group rules and tags. Answers in the SDK v3 shapes (without $metadata) and
// throws the errors EC2 would (awsError('ec2', …)). VPCs, subnets, groups and load balancers are the seed's.
// Beside the API, the other parties: vendors (their services, their decisions on connections) and
// other accounts (the other party of a hand-off creating its endpoint).
import type { CreateTagsRequest, DeleteTagsRequest } from '@aws-sdk/client-ec2';
import type { SimContext } from './context.ts';
import {
  createEndpointAs,
  createVpcEndpoint,
  deleteVpcEndpoints,
  describeNetworkInterfaces,
  describeVpcEndpoints,
  findEndpoint,
  viewEndpoint,
} from './ec2-endpoints.ts';
import { authorizeSecurityGroupIngress, describeSecurityGroupRules, revokeSecurityGroupIngress } from './ec2-rules.ts';
import {
  acceptVpcEndpointConnections,
  createVpcEndpointServiceConfiguration,
  deleteVpcEndpointServiceConfigurations,
  describeVpcEndpointConnections,
  describeVpcEndpointServiceConfigurations,
  describeVpcEndpointServicePermissions,
  describeVpcEndpointServices,
  modifyVpcEndpointServicePermissions,
  rejectVpcEndpointConnections,
} from './ec2-services.ts';
import { ec2Fail, mergeTags, required } from './ec2-shared.ts';
import {
  buildWorld,
  type Ec2State,
  type Ec2World,
  type EndpointFate,
  liveEndpoints,
  liveNetworkInterfaces,
  liveServices,
  stateOf,
  type Tags,
} from './ec2-state.ts';
import {
  addVendorService,
  type EndpointView,
  removeVendorService,
  type VendorServiceArgs,
  vendorDecide,
} from './ec2-vendors.ts';
import { describeSubnets, describeVpcs } from './ec2-vpcs.ts';
import type { SandboxSeed } from './seed.ts';

export { type Ec2State, type EndpointFate, emptyEc2State } from './ec2-state.ts';
export { type EndpointView, VendorActionError, type VendorServiceArgs } from './ec2-vendors.ts';

export interface Ec2SimOptions {
  seed: SandboxSeed;
  /** the `--fault endpoint:…` in force when an endpoint is created */
  endpointFate?: () => EndpointFate | undefined;
}

export interface Ec2Inventory {
  endpoints: { endpointId: string; state: string; tags: Tags; dnsName?: string; privateIpAddresses: string[] }[];
  endpointServices: { serviceId: string; serviceName: string; state: string; tags: Tags }[];
}

// biome-ignore lint/suspicious/noExplicitAny: each operation reads its own SDK input type
type Operation = (w: Ec2World, input: any, region: string) => unknown;

const OPERATIONS: Record<string, Operation> = {
  DescribeVpcEndpointServiceConfigurations: describeVpcEndpointServiceConfigurations,
  CreateVpcEndpointServiceConfiguration: createVpcEndpointServiceConfiguration,
  ModifyVpcEndpointServicePermissions: modifyVpcEndpointServicePermissions,
  DescribeVpcEndpointServicePermissions: describeVpcEndpointServicePermissions,
  DeleteVpcEndpointServiceConfigurations: deleteVpcEndpointServiceConfigurations,
  DescribeVpcEndpointServices: describeVpcEndpointServices,
  DescribeVpcEndpointConnections: describeVpcEndpointConnections,
  AcceptVpcEndpointConnections: acceptVpcEndpointConnections,
  RejectVpcEndpointConnections: rejectVpcEndpointConnections,
  CreateVpcEndpoint: createVpcEndpoint,
  DescribeVpcEndpoints: describeVpcEndpoints,
  DeleteVpcEndpoints: deleteVpcEndpoints,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
  CreateTags: createTags,
  DeleteTags: deleteTags,
};

export const EC2_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

/** Reads and writes the tags of any resource id CreateTags accepts, or fails with that id's NotFound. */
function taggable(w: Ec2World, id: string, region: string): { tags: Tags; set(tags: Tags): void } {
  const seedTags = (found: boolean, code: string, what: string) => {
    if (!found) ec2Fail(code, `The ${what} '${id}' does not exist`);
    return {
      tags: w.state.seedTags[id] ?? {},
      set: (tags: Tags) => {
        w.state.seedTags[id] = tags;
      },
    };
  };
  const holder = <T extends { tags: Tags }>(record: T | undefined, code: string, what: string) => {
    if (!record) return ec2Fail(code, `The ${what} '${id}' does not exist`);
    return {
      tags: record.tags,
      set: (tags: Tags) => {
        record.tags = tags;
      },
    };
  };
  if (id.startsWith('vpce-svc-'))
    return holder(
      liveServices(w).find((s) => s.serviceId === id && s.region === region),
      'InvalidVpcEndpointServiceId.NotFound',
      'Vpc Endpoint Service Id',
    );
  if (id.startsWith('vpce-'))
    return holder(findEndpoint(w, id, region), 'InvalidVpcEndpointId.NotFound', 'Vpc Endpoint Id');
  if (id.startsWith('eni-'))
    return holder(
      liveNetworkInterfaces(w).find((n) => n.networkInterfaceId === id && n.region === region),
      'InvalidNetworkInterfaceID.NotFound',
      'networkInterface ID',
    );
  if (id.startsWith('sgr-'))
    return holder(
      w.state.rules.find((r) => r.ruleId === id && r.region === region),
      'InvalidSecurityGroupRuleId.NotFound',
      'security group rule ID',
    );
  // Seed resources of another account are unknown to the sandbox account.
  const ours = (r: { region: string; accountId: string } | undefined) =>
    r?.region === region && r.accountId === w.ctx.accountId;
  if (id.startsWith('vpc-')) return seedTags(ours(w.vpcs.get(id)), 'InvalidVpcID.NotFound', 'vpc ID');
  if (id.startsWith('subnet-')) return seedTags(ours(w.subnets.get(id)), 'InvalidSubnetID.NotFound', 'subnet ID');
  if (id.startsWith('sg-')) return seedTags(ours(w.groups.get(id)), 'InvalidGroup.NotFound', 'security group');
  return ec2Fail('InvalidID', `The ID '${id}' is not valid`);
}

function createTags(w: Ec2World, input: CreateTagsRequest, region: string): Record<string, never> {
  const resources = required(input.Resources, 'Resources').map((id) => ({ id, holder: taggable(w, id, region) }));
  // Check every resource before changing any, so a failed call changes nothing.
  const merged = resources.map(({ id, holder }) => mergeTags(holder.tags, required(input.Tags, 'Tags'), id));
  for (const [i, { holder }] of resources.entries()) holder.set(merged[i] ?? holder.tags);
  return {};
}

function deleteTags(w: Ec2World, input: DeleteTagsRequest, region: string): Record<string, never> {
  for (const id of required(input.Resources, 'Resources')) {
    const holder = taggable(w, id, region);
    const tags = { ...holder.tags };
    for (const tag of input.Tags ?? Object.keys(tags).map((Key) => ({ Key, Value: undefined }))) {
      const key = tag.Key ?? '';
      if (tag.Value === undefined || tags[key] === tag.Value) delete tags[key];
    }
    holder.set(tags);
  }
  return {};
}

export class Ec2Sim {
  private readonly world: Ec2World;

  constructor(ctx: SimContext, state: Ec2State, options: Ec2SimOptions) {
    this.world = buildWorld(ctx, state, options.seed, options.endpointFate ?? (() => undefined));
  }

  /** Answers one EC2 call made in `region`; synchronous, throws awsError('ec2', …). */
  handle(operation: string, input: unknown, region = 'us-east-1'): unknown {
    const run = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
    if (!run) ec2Fail('UnsupportedOperation', `The sandbox does not simulate EC2 ${operation}`);
    return run(this.world, input ?? {}, region);
  }

  addVendorService(args: VendorServiceArgs): { serviceId: string; serviceName: string } {
    return addVendorService(this.world, args);
  }

  /** The vendor deletes its service; each endpoint to it becomes `rejected`. */
  removeVendorService(serviceId: string): void {
    removeVendorService(this.world, serviceId);
  }

  /** The service's owner accepts or rejects an endpoint waiting for acceptance. */
  vendorDecide(
    endpointId: string,
    decision: 'accept' | 'reject',
    asOwner?: string,
  ): { endpointId: string; serviceId: string; state: string } {
    return vendorDecide(this.world, endpointId, decision, asOwner);
  }

  endpointView(endpointId: string): EndpointView | undefined {
    return viewEndpoint(this.world, endpointId);
  }

  /** The other party of a hand-off creates its endpoint; fails with the code AWS would answer it. */
  createEndpointAs(
    accountId: string,
    args: { vpcId: string; subnetIds?: string[]; serviceName: string },
  ): { endpointId: string } {
    return { endpointId: createEndpointAs(this.world, accountId, args).endpointId };
  }

  /** The sandbox account's resources (vendors' services and other accounts' endpoints are not its own). */
  inventory(): Ec2Inventory {
    const w = this.world;
    return {
      endpoints: liveEndpoints(w).map((e) => {
        const view = viewEndpoint(w, e.endpointId);
        return {
          endpointId: e.endpointId,
          state: stateOf(w, e),
          tags: { ...e.tags },
          ...(view?.dnsName && { dnsName: view.dnsName }),
          privateIpAddresses: view?.privateIpAddresses ?? [],
        };
      }),
      endpointServices: liveServices(w).map((s) => ({
        serviceId: s.serviceId,
        serviceName: s.serviceName,
        state: 'Available',
        tags: { ...s.tags },
      })),
    };
  }
}
