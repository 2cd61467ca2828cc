// Provider side: endpoint services the sandbox account creates, their permissions and connections
// (from any account), and DescribeVpcEndpointServices, which also lists the vendors' services the
// sandbox account is allowed to discover.
import type {
  AcceptVpcEndpointConnectionsRequest,
  AcceptVpcEndpointConnectionsResult,
  CreateVpcEndpointServiceConfigurationRequest,
  CreateVpcEndpointServiceConfigurationResult,
  DeleteVpcEndpointServiceConfigurationsRequest,
  DeleteVpcEndpointServiceConfigurationsResult,
  DescribeVpcEndpointConnectionsRequest,
  DescribeVpcEndpointConnectionsResult,
  DescribeVpcEndpointServiceConfigurationsRequest,
  DescribeVpcEndpointServiceConfigurationsResult,
  DescribeVpcEndpointServicePermissionsRequest,
  DescribeVpcEndpointServicePermissionsResult,
  DescribeVpcEndpointServicesRequest,
  DescribeVpcEndpointServicesResult,
  ModifyVpcEndpointServicePermissionsRequest,
  ModifyVpcEndpointServicePermissionsResult,
  RejectVpcEndpointConnectionsRequest,
  RejectVpcEndpointConnectionsResult,
  ServiceConfiguration,
  ServiceDetail,
  UnsuccessfulItem,
  VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import { dnsEntries } from './ec2-endpoints.ts';
import { allowsAccount, PRINCIPAL, principalType } from './ec2-principals.ts';
import {
  applyFilters,
  ec2Fail,
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
  type Ec2World,
  type EndpointRecord,
  liveServices,
  liveVendorServices,
  type ServiceRecord,
  stateOf,
  zonesIn,
} from './ec2-state.ts';
import { loadBalancerLocation } from './seed.ts';

function describeConfiguration(s: ServiceRecord): ServiceConfiguration {
  return {
    ServiceType: [{ ServiceType: 'Interface' }],
    ServiceId: s.serviceId,
    ServiceName: s.serviceName,
    ServiceState: 'Available',
    AvailabilityZones: [...s.availabilityZones],
    AcceptanceRequired: s.acceptanceRequired,
    ManagesVpcEndpoints: false,
    NetworkLoadBalancerArns: [...s.networkLoadBalancerArns],
    GatewayLoadBalancerArns: [],
    SupportedIpAddressTypes: ['ipv4'],
    BaseEndpointDnsNames: [`${s.serviceId}.${s.region}.vpce.amazonaws.com`],
    PayerResponsibility: 'ServiceOwner',
    Tags: tagList(s.tags),
  };
}

/** One of this account's services in this region, or the NotFound AWS answers. */
export function ownService(w: Ec2World, serviceId: string, region: string): ServiceRecord {
  return (
    liveServices(w).find((s) => s.serviceId === serviceId && s.region === region) ??
    ec2Fail('InvalidVpcEndpointServiceId.NotFound', `The Vpc Endpoint Service Id '${serviceId}' does not exist`)
  );
}

export function describeVpcEndpointServiceConfigurations(
  w: Ec2World,
  input: DescribeVpcEndpointServiceConfigurationsRequest,
  region: string,
): DescribeVpcEndpointServiceConfigurationsResult {
  let services = liveServices(w).filter((s) => s.region === region);
  if (input.ServiceIds?.length) services = input.ServiceIds.map((id) => ownService(w, id, region));
  const filtered = applyFilters(
    services,
    input.Filters,
    {
      'service-name': (s) => [s.serviceName],
      'service-id': (s) => [s.serviceId],
      'service-state': () => ['Available'],
      'supported-ip-address-types': () => ['ipv4'],
    },
    (s) => s.tags,
  );
  const { items, NextToken } = page(filtered, input.MaxResults, input.NextToken);
  return { ServiceConfigurations: items.map((s) => describeConfiguration(s)), ...(NextToken && { NextToken }) };
}

function createService(
  w: Ec2World,
  input: CreateVpcEndpointServiceConfigurationRequest,
  region: string,
): ServiceRecord {
  const arns = input.NetworkLoadBalancerArns ?? [];
  if (arns.length === 0 || input.GatewayLoadBalancerArns?.length)
    ec2Fail('InvalidParameter', 'Exactly one of NetworkLoadBalancerArns or GatewayLoadBalancerArns must be given');
  for (const arn of arns) {
    const location = loadBalancerLocation(arn);
    if (!w.loadBalancers.has(arn) || location?.region !== region || location.account !== w.ctx.accountId)
      ec2Fail('InvalidParameterValue', `The load balancer ARN '${arn}' is not valid`);
  }
  if (input.PrivateDnsName)
    ec2Fail('InvalidParameter', 'The sandbox cannot verify a private DNS name for an endpoint service');
  const tags = mergeTags({}, tagsFromSpecifications(input.TagSpecifications, 'vpc-endpoint-service'), 'service');
  const serviceId = w.ctx.newId('vpce-svc', 17);
  const record: ServiceRecord = {
    serviceId,
    serviceName: `com.amazonaws.vpce.${region}.${serviceId}`,
    region,
    acceptanceRequired: input.AcceptanceRequired ?? false,
    networkLoadBalancerArns: [...arns],
    // the zones of the account's own subnets, where its load balancer is
    availabilityZones: zonesIn(w.subnets, region, w.ctx.accountId),
    createdAt: w.ctx.now(),
    tags,
  };
  w.state.services.push(record);
  return record;
}

export function createVpcEndpointServiceConfiguration(
  w: Ec2World,
  input: CreateVpcEndpointServiceConfigurationRequest,
  region: string,
): CreateVpcEndpointServiceConfigurationResult {
  const service = idempotent(
    w,
    'CreateVpcEndpointServiceConfiguration',
    region,
    input,
    (id) => liveServices(w).find((s) => s.serviceId === id),
    () => {
      const record = createService(w, input, region);
      return { resourceId: record.serviceId, result: record };
    },
  );
  return {
    ServiceConfiguration: describeConfiguration(service),
    ...(input.ClientToken && { ClientToken: input.ClientToken }),
  };
}

export function modifyVpcEndpointServicePermissions(
  w: Ec2World,
  input: ModifyVpcEndpointServicePermissionsRequest,
  region: string,
): ModifyVpcEndpointServicePermissionsResult {
  const service = ownService(w, required(input.ServiceId, 'ServiceId'), region);
  const add = input.AddAllowedPrincipals ?? [];
  const remove = new Set(input.RemoveAllowedPrincipals ?? []);
  for (const principal of [...add, ...remove])
    if (!PRINCIPAL.test(principal)) ec2Fail('InvalidPrincipal', `Invalid principal '${principal}'`);
  const permissions = w.state.permissions;
  w.state.permissions = permissions.filter((p) => p.serviceId !== service.serviceId || !remove.has(p.principal));
  const AddedPrincipals: ModifyVpcEndpointServicePermissionsResult['AddedPrincipals'] = [];
  for (const principal of new Set(add)) {
    let permission = w.state.permissions.find((p) => p.serviceId === service.serviceId && p.principal === principal);
    if (!permission) {
      permission = { permissionId: w.ctx.newId('vpce-svc-perm', 17), serviceId: service.serviceId, principal };
      w.state.permissions.push(permission);
    }
    AddedPrincipals.push({
      PrincipalType: principalType(principal),
      Principal: principal,
      ServicePermissionId: permission.permissionId,
      ServiceId: service.serviceId,
    });
  }
  return { ReturnValue: true, ...(add.length > 0 && { AddedPrincipals }) };
}

export function describeVpcEndpointServicePermissions(
  w: Ec2World,
  input: DescribeVpcEndpointServicePermissionsRequest,
  region: string,
): DescribeVpcEndpointServicePermissionsResult {
  const service = ownService(w, required(input.ServiceId, 'ServiceId'), region);
  const AllowedPrincipals = w.state.permissions
    .filter((p) => p.serviceId === service.serviceId)
    .map((p) => ({
      PrincipalType: principalType(p.principal),
      Principal: p.principal,
      ServicePermissionId: p.permissionId,
      ServiceId: p.serviceId,
      Tags: [],
    }));
  return { AllowedPrincipals };
}

/** Every account's endpoints to a service that AWS still lists. */
export function connectedEndpoints(w: Ec2World, serviceId: string): EndpointRecord[] {
  return allLiveEndpoints(w).filter((e) => e.serviceId === serviceId);
}

export function deleteVpcEndpointServiceConfigurations(
  w: Ec2World,
  input: DeleteVpcEndpointServiceConfigurationsRequest,
  region: string,
): DeleteVpcEndpointServiceConfigurationsResult {
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of required(input.ServiceIds, 'ServiceIds')) {
    const service = liveServices(w).find((s) => s.serviceId === id && s.region === region);
    if (!service) {
      Unsuccessful.push({
        Error: { Code: 'InvalidVpcEndpointService.NotFound', Message: `The VPC endpoint service ${id} does not exist` },
        ResourceId: id,
      });
      continue;
    }
    if (connectedEndpoints(w, id).some((e) => stateOf(w, e) !== 'rejected')) {
      Unsuccessful.push({
        Error: {
          Code: 'ExistingVpcEndpointConnections',
          Message: 'Service has existing active VPC Endpoint connections!',
        },
        ResourceId: id,
      });
      continue;
    }
    service.deletedAt = w.ctx.now();
  }
  return { Unsuccessful };
}

/** What consumers see of a service, the seed vendors' and the account's own alike. */
function serviceDetail(
  s: Pick<ServiceRecord, 'serviceName' | 'serviceId' | 'region' | 'availabilityZones' | 'acceptanceRequired' | 'tags'>,
  owner: string,
): ServiceDetail {
  return {
    ServiceName: s.serviceName,
    ServiceId: s.serviceId,
    ServiceType: [{ ServiceType: 'Interface' }],
    ServiceRegion: s.region,
    AvailabilityZones: [...s.availabilityZones],
    Owner: owner,
    BaseEndpointDnsNames: [`${s.serviceId}.${s.region}.vpce.amazonaws.com`],
    VpcEndpointPolicySupported: false,
    AcceptanceRequired: s.acceptanceRequired,
    ManagesVpcEndpoints: false,
    SupportedIpAddressTypes: ['ipv4'],
    Tags: tagList(s.tags),
  };
}

export function describeVpcEndpointServices(
  w: Ec2World,
  input: DescribeVpcEndpointServicesRequest,
  region: string,
): DescribeVpcEndpointServicesResult {
  // Another account's service is listed only to the principals it allows; asked for by name, it is
  // InvalidServiceName like an unknown one (github.com/cloud-custodian/cloud-custodian/pull/10741).
  const caller = w.ctx.accountId;
  const all = [
    ...liveVendorServices(w)
      .filter((v) => v.region === region && (v.owner === caller || allowsAccount(v.allowedPrincipals, caller)))
      .map((v) => serviceDetail(v, v.owner)),
    ...liveServices(w)
      .filter((s) => s.region === region)
      .map((s) => serviceDetail(s, w.ctx.accountId)),
  ];
  const details = pickByIds(
    all,
    input.ServiceNames,
    (d) => d.ServiceName,
    'InvalidServiceName',
    (name) => `The Vpc Endpoint Service '${name}' does not exist`,
  );
  const filtered = applyFilters(
    details,
    input.Filters,
    {
      'service-name': (d) => [d.ServiceName],
      'service-type': () => ['Interface'],
      owner: (d) => [d.Owner],
      'supported-ip-address-types': () => ['ipv4'],
    },
    (d) => Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  );
  const { items, NextToken } = page(filtered, input.MaxResults, input.NextToken);
  return {
    ServiceNames: items.map((d) => d.ServiceName ?? ''),
    ServiceDetails: items,
    ...(NextToken && { NextToken }),
  };
}

export function describeVpcEndpointConnections(
  w: Ec2World,
  input: DescribeVpcEndpointConnectionsRequest,
  region: string,
): DescribeVpcEndpointConnectionsResult {
  const services = new Map(
    liveServices(w)
      .filter((s) => s.region === region)
      .map((s) => [s.serviceId, s]),
  );
  const connections = allLiveEndpoints(w).filter((e) => services.has(e.serviceId));
  const filtered = applyFilters(
    connections,
    input.Filters,
    {
      'service-id': (e) => [e.serviceId],
      'vpc-endpoint-id': (e) => [e.endpointId],
      'vpc-endpoint-owner': (e) => [e.ownerAccount],
      'vpc-endpoint-state': (e) => [stateOf(w, e)],
      'ip-address-type': () => ['ipv4'],
    },
    () => ({}),
  );
  const { items, NextToken } = page(filtered, input.MaxResults, input.NextToken);
  const VpcEndpointConnections: VpcEndpointConnection[] = items.map((e) => ({
    ServiceId: e.serviceId,
    VpcEndpointId: e.endpointId,
    VpcEndpointOwner: e.ownerAccount,
    VpcEndpointState: stateOf(w, e) as VpcEndpointConnection['VpcEndpointState'],
    VpcEndpointRegion: e.region,
    CreationTimestamp: new Date(e.createdAt),
    DnsEntries: dnsEntries(w, e),
    NetworkLoadBalancerArns: [...(services.get(e.serviceId)?.networkLoadBalancerArns ?? [])],
    GatewayLoadBalancerArns: [],
    IpAddressType: 'ipv4',
  }));
  return { VpcEndpointConnections, ...(NextToken && { NextToken }) };
}

/** Accept or reject connections to one of this account's services; per-endpoint problems go to Unsuccessful. */
function decide(
  w: Ec2World,
  input: AcceptVpcEndpointConnectionsRequest | RejectVpcEndpointConnectionsRequest,
  region: string,
  accept: boolean,
): { Unsuccessful: UnsuccessfulItem[] } {
  const service = ownService(w, required(input.ServiceId, 'ServiceId'), region);
  const Unsuccessful: UnsuccessfulItem[] = [];
  const now = w.ctx.now();
  for (const id of required(input.VpcEndpointIds, 'VpcEndpointIds')) {
    const endpoint = connectedEndpoints(w, service.serviceId).find((e) => e.endpointId === id);
    if (!endpoint) {
      Unsuccessful.push({
        Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: `The Vpc Endpoint Id '${id}' does not exist` },
        ResourceId: id,
      });
      continue;
    }
    const state = stateOf(w, endpoint);
    if (state === 'deleting' || state === 'failed') {
      Unsuccessful.push({
        Error: { Code: 'IncorrectState', Message: `The VPC endpoint ${id} is in state ${state}` },
        ResourceId: id,
      });
      continue;
    }
    if (accept) {
      // Accepting again is harmless; accepting a rejected connection reconnects it, as the console allows.
      if (state === 'pendingAcceptance') endpoint.acceptedAt = now;
      else if (state === 'rejected' && endpoint.rejectedAt !== undefined) {
        delete endpoint.rejectedAt;
        endpoint.acceptedAt = now;
      }
    } else if (state !== 'rejected') endpoint.rejectedAt = now;
  }
  return { Unsuccessful };
}

export function acceptVpcEndpointConnections(
  w: Ec2World,
  input: AcceptVpcEndpointConnectionsRequest,
  region: string,
): AcceptVpcEndpointConnectionsResult {
  return decide(w, input, region, true);
}

export function rejectVpcEndpointConnections(
  w: Ec2World,
  input: RejectVpcEndpointConnectionsRequest,
  region: string,
): RejectVpcEndpointConnectionsResult {
  return decide(w, input, region, false);
}
