// `plan`: what provisioning a request would create, reuse or refuse, from read-only calls only
// (Describe*, List*, Get* through the same adapters the steps use; on the sandbox or with --aws). The
// decision is the domain's (src/core/domain/plan.ts); this gathers what it needs: the deployment's
// allowlists, the names other requests here hold, and what the account already has for the request.
import { readAllowlists } from '../config.ts';
import { type Allowlists, requestAllowlistIssues } from '../domain/allowlists.ts';
import { zoneNamesFor } from '../domain/dns-plan.ts';
import {
  atlasServiceInRegion,
  type ObservedRefusal,
  type Plan,
  type PlanObservations,
  planProvision,
  REUSABLE_ENDPOINT_STATES,
  type ServiceObservation,
  type ZoneObservation,
} from '../domain/plan.ts';
import { type ProvisionRequest, REQUEST_ID_TAG } from '../domain/request.ts';
import { vendorServiceName } from '../domain/vendors.ts';
import { AtlasApiError, AwsRequestError, NameCollisionError, PreconditionError } from '../errors.ts';
import type { AtlasPort, Ec2Port, EndpointInfo, Route53Port } from '../ports.ts';
import { resultOf } from '../runner/results.ts';
import { findRequestZone } from '../steps/zones.ts';
import type { Environment } from './environment.ts';
import { refuseNameCollisions } from './name-claims.ts';
import { requestHash } from './provision.ts';
import { readOnlyPorts } from './verify-ports.ts';

/** What the outside answered that means provisioning would be refused (not an error of plan itself). */
function refusalOf(error: unknown): { code: string; message: string } | undefined {
  if (error instanceof AwsRequestError && error.code === 'InvalidServiceName')
    return { code: error.code, message: error.message };
  // Atlas: an unknown project or cluster (404), no access (401/403), no service account configured.
  if (error instanceof AtlasApiError) return { code: error.code, message: error.message };
  if (error instanceof PreconditionError) return { code: error.code, message: error.message };
  return undefined;
}

async function refusedOr<T>(
  refusals: ObservedRefusal[],
  where: Pick<ObservedRefusal, 'resource' | 'name'>,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    refusals.push({ ...where, ...refusal });
    return undefined;
  }
}

async function observeService(
  request: ProvisionRequest,
  ports: { ec2: Ec2Port; atlas?: AtlasPort },
  refusals: ObservedRefusal[],
): Promise<ServiceObservation> {
  const spec = request.service;
  if ('create' in spec) {
    const [found] = await ports.ec2.findEndpointServicesByTag(REQUEST_ID_TAG, request.requestId);
    return { kind: 'own', ...(found && { found }) };
  }
  if ('serviceName' in spec || 'vendor' in spec) {
    const kind = 'vendor' in spec ? 'vendor' : 'named';
    const serviceName = 'vendor' in spec ? vendorServiceName(spec.vendor, request.region) : spec.serviceName;
    if (!serviceName) {
      refusals.push({
        resource: 'endpoint-service',
        name: `${'vendor' in spec ? spec.vendor : 'the vendor'} in ${request.region}`,
        code: 'UnknownVendorRegion',
        message: `the vendor has no endpoint service in ${request.region}`,
      });
      return { kind };
    }
    const found = await refusedOr(refusals, { resource: 'endpoint-service', name: serviceName }, () =>
      ports.ec2.describeServiceByName(serviceName),
    );
    return { kind, serviceName, ...(found && { found }) };
  }
  const { projectId, clusterName } = spec.atlas;
  const atlas = ports.atlas;
  if (!atlas) throw new PreconditionError('MissingAtlasPort', 'plan was given no Atlas adapter');
  const where = { resource: 'atlas-endpoint-service' as const, name: `Atlas project ${projectId}` };
  const services = (await refusedOr(refusals, where, () => atlas.listEndpointServices(projectId))) ?? [];
  const cluster = await refusedOr(refusals, { resource: 'atlas-cluster', name: clusterName }, () =>
    atlas.getCluster(projectId, clusterName),
  );
  const existing = atlasServiceInRegion(services, request.region);
  const serviceName = existing?.endpointServiceName;
  const found = serviceName
    ? await refusedOr(refusals, { resource: 'endpoint-service', name: serviceName }, () =>
        ports.ec2.describeServiceByName(serviceName),
      )
    : undefined;
  return { kind: 'atlas', projectId, clusterName, services, ...(cluster && { cluster }), ...(found && { found }) };
}

async function observeZones(request: ProvisionRequest, route53: Route53Port): Promise<ZoneObservation[]> {
  if (!('vpcId' in request.consumer)) return [];
  const { vpcId } = request.consumer;
  const zones: ZoneObservation[] = [];
  for (const name of zoneNamesFor(request)) {
    // The very lookup UpsertDnsRecords falls back on (ListHostedZonesByName, GetHostedZone): read-only.
    const found = await findRequestZone(route53, request, vpcId, name);
    if (!found) zones.push({ name, records: [] });
    else
      zones.push({
        name,
        zone: { hostedZoneId: found.zone.hostedZoneId, createdByRequest: found.createdByRequest },
        records: await route53.listRecords(found.zone.hostedZoneId),
      });
  }
  return zones;
}

/** Refusals known before any call: the allowlists, the request id, and names other requests hold. */
async function refusalsHere(
  env: Environment,
  request: ProvisionRequest,
  lists: Allowlists,
): Promise<{ refusals: ObservedRefusal[]; existing?: { status: string } }> {
  const refusals: ObservedRefusal[] = requestAllowlistIssues(request, lists).map((issue) => ({
    resource: 'request',
    name: issue.path,
    code: 'NotAllowed',
    message: issue.message,
  }));
  const [previous, teardown] = await Promise.all([
    env.store.get('provision', request.requestId),
    env.store.get('teardown', request.requestId),
  ]);
  let existing: { status: string } | undefined;
  if (previous && previous.requestHash !== requestHash(request))
    refusals.push({
      resource: 'request',
      name: request.requestId,
      code: 'RequestIdConflict',
      message: `request id ${request.requestId} already names a different request here; choose another requestId`,
    });
  else if (previous) {
    const latest = teardown && teardown.startedAt >= previous.startedAt ? teardown : previous;
    existing = { status: resultOf(latest).status };
  }
  try {
    await refuseNameCollisions(env, request);
  } catch (error) {
    if (!(error instanceof NameCollisionError)) throw error;
    refusals.push({ resource: 'record', name: error.record, code: error.code, message: error.message });
  }
  return { refusals, ...(existing && existing.status !== 'DELETED' && { existing }) };
}

/** Plans the provisioning of `request` in `env`, calling only Describe*, List* and Get*. */
export async function planRequest(
  env: Environment,
  request: ProvisionRequest,
  lists: Allowlists = readAllowlists(),
): Promise<Plan> {
  const { refusals, existing } = await refusalsHere(env, request, lists);
  const ports = readOnlyPorts(request.region, 'atlas' in request.service);
  const service = await observeService(request, ports, refusals);

  let endpoint: EndpointInfo | undefined;
  let endpointIps: string[] = [];
  if ('vpcId' in request.consumer) {
    const found = await ports.ec2.findEndpointsByTag(REQUEST_ID_TAG, request.requestId);
    endpoint = found.find((e) => REUSABLE_ENDPOINT_STATES.has(e.state));
    if (endpoint) endpointIps = await ports.ec2.privateIps(endpoint.networkInterfaceIds);
  }
  const ingressRules =
    'vpcId' in request.consumer && request.consumer.allowFrom.length > 0
      ? await ports.ec2.findIngressRulesByTag(REQUEST_ID_TAG, request.requestId)
      : [];
  const atlasService = service.kind === 'atlas' ? atlasServiceInRegion(service.services, request.region) : undefined;
  const atlasRegistration =
    service.kind === 'atlas' && atlasService && endpoint && ports.atlas
      ? await ports.atlas.getEndpoint(service.projectId, atlasService.id, endpoint.endpointId)
      : undefined;

  const observed: PlanObservations = {
    refusals,
    ...(existing && { existing }),
    service,
    ...(endpoint && { endpoint, endpointIps }),
    ingressRules,
    ...(atlasRegistration && { atlasRegistration }),
    zones: await observeZones(request, ports.route53),
  };
  return planProvision(request, observed);
}
