// `verify`: the request's recorded result against the account as it is now (the endpoint service, the
// endpoint and its addresses, ingress, zones and their VPC association, records, Atlas's view), through
// read-only calls; with `repair`, then puts back what the request owns (src/core/domain/drift.ts decides
// what that is) and looks again.
import {
  type DriftItem,
  type DriftObservations,
  describeRepair,
  findDrift,
  type RepairAction,
} from '../domain/drift.ts';
import { plannedIngress } from '../domain/plan.ts';
import { type ProvisionRequest, REQUEST_ID_TAG, requireProvisionRequest } from '../domain/request.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { AtlasApiError, AwsRequestError, RequestNotFoundError } from '../errors.ts';
import { resultOf } from '../runner/results.ts';
import { requestTags } from '../steps/tags.ts';
import type { Environment } from './environment.ts';
import { type CheckPorts, checkPorts } from './verify-ports.ts';

export interface VerifyReport {
  requestId: string;
  /** the recorded result's status */
  status: string;
  /** no drift left */
  clean: boolean;
  /** what was compared */
  checked: string[];
  /** every difference found (after --repair: what is left) */
  drift: DriftItem[];
  /** --repair: what was put back */
  repaired?: string[];
  /** --repair: what was found before repairing */
  found?: DriftItem[];
  /** why nothing was compared (a request that is not READY) */
  note?: string;
  /** --repair: repairs that failed, with AWS's (or Atlas's) answer */
  failed?: { repair: string; error: string }[];
}

interface Recorded {
  request: ProvisionRequest;
  result: ProvisionResult;
}

async function recorded(env: Environment, requestId: string): Promise<Recorded> {
  const [provision, teardown] = await Promise.all([
    env.store.get('provision', requestId),
    env.store.get('teardown', requestId),
  ]);
  if (!provision) {
    const error = new RequestNotFoundError(requestId);
    error.message = `no request ${requestId} in ${env.stateDir}`;
    throw error;
  }
  const latest = teardown && teardown.startedAt >= provision.startedAt ? teardown : provision;
  const { request } = provision.input as { request?: unknown };
  return { request: requireProvisionRequest(request), result: resultOf(latest) };
}

const isCode = (error: unknown, pattern: RegExp) => error instanceof AwsRequestError && pattern.test(error.code);

async function observe(ports: CheckPorts, { request, result }: Recorded): Promise<DriftObservations> {
  const serviceName = result.service?.serviceName;
  let service: DriftObservations['service'];
  if (serviceName)
    try {
      service = await ports.ec2.describeServiceByName(serviceName);
    } catch (error) {
      if (!isCode(error, /^InvalidServiceName$/)) throw error;
    }
  const external = 'external' in request.consumer;
  // The other party's endpoint is not ours to describe: our own service's connections say how it is.
  const endpoint =
    result.endpoint && !external ? await ports.ec2.describeEndpoint(result.endpoint.endpointId) : undefined;
  const serviceId = result.service?.serviceId;
  let connection: DriftObservations['connection'];
  if (external && 'create' in request.service && serviceId && result.endpoint)
    try {
      const connections = await ports.ec2.listServiceConnections(serviceId);
      connection = connections.find((c) => c.endpointId === result.endpoint?.endpointId);
    } catch (error) {
      // The service is gone, its connections with it (a drift of its own).
      if (!isCode(error, /NotFound$/)) throw error;
    }
  let endpointIps: string[] = [];
  if (endpoint)
    try {
      endpointIps = await ports.ec2.privateIps(endpoint.networkInterfaceIds);
    } catch (error) {
      // Its interfaces went with it: no addresses.
      if (!isCode(error, /NotFound$/)) throw error;
    }
  const zones: DriftObservations['zones'] = [];
  for (const zone of result.dns?.zones ?? []) {
    const detail = await ports.route53.getZone(zone.hostedZoneId);
    zones.push({
      ...zone,
      ...(detail && { detail }),
      records: detail ? await ports.route53.listRecords(zone.hostedZoneId) : [],
    });
  }
  // The request's ingress rules are not in the result: checked against what the request asks for.
  const ingressRules =
    plannedIngress(request).length > 0 ? await ports.ec2.findIngressRulesByTag(REQUEST_ID_TAG, request.requestId) : [];
  const observed: DriftObservations = {
    ...(service && { service }),
    ...(endpoint && { endpoint }),
    ...(connection && { connection }),
    endpointIps,
    zones,
    ingressRules,
  };
  const atlas = 'atlas' in request.service ? request.service.atlas : undefined;
  if (atlas && result.vendor && ports.atlas) {
    const atlasService = await ports.atlas.getEndpointService(atlas.projectId, result.vendor.endpointServiceId);
    const registration =
      atlasService && result.endpoint
        ? await ports.atlas.getEndpoint(atlas.projectId, result.vendor.endpointServiceId, result.endpoint.endpointId)
        : undefined;
    observed.atlas = { ...(atlasService && { service: atlasService }), ...(registration && { registration }) };
  }
  return observed;
}

function compare(rec: Recorded, observed: DriftObservations) {
  const { request, result } = rec;
  return findDrift(result, observed, {
    requestId: request.requestId,
    region: request.region,
    ...('vpcId' in request.consumer && { vpcId: request.consumer.vpcId }),
    ...('external' in request.consumer && {
      external: 'create' in request.service ? ('own' as const) : ('vendor' as const),
    }),
    ingress: plannedIngress(request),
    ...('atlas' in request.service && { atlasProjectId: request.service.atlas.projectId }),
  });
}

async function apply(ports: CheckPorts, request: ProvisionRequest, action: RepairAction): Promise<void> {
  const comment = `privatelink-automation ${request.requestId} (verify --repair)`;
  switch (action.kind) {
    case 'upsertRecord':
      // Exactly what was recorded: the request's own record, as Route 53 read it back then.
      await ports.route53.changeRecords(action.hostedZoneId, [{ action: 'UPSERT', record: action.record }], comment);
      return;
    case 'associateVpc':
      await ports.route53.associateVpc(action.hostedZoneId, action.vpcId, action.region);
      return;
    case 'authorizeIngress': {
      const { groupId, sourceGroupId, fromPort, toPort } = action.rule;
      await ports.ec2.authorizeIngress({
        groupId,
        sourceGroupIds: [sourceGroupId],
        portRanges: [{ fromPort, toPort }],
        tags: requestTags(request),
      });
      return;
    }
    case 'registerAtlasEndpoint':
      if (!ports.atlas) throw new Error('no Atlas adapter');
      await ports.atlas.createEndpoint(action.projectId, action.serviceId, action.endpointId);
      return;
  }
}

/** What a result that is not READY stands for, instead of drift. */
function notCompared(result: ProvisionResult): string {
  const remaining = result.remaining ?? [];
  switch (result.status) {
    case 'FAILED':
      return remaining.length > 0
        ? `the request FAILED and ${remaining.length} resource(s) remain (see status); teardown removes them`
        : 'the request FAILED and what it made was undone: nothing to compare';
    case 'DELETED':
      return 'the request was torn down: nothing to compare';
    default:
      return `the request is ${result.status}: verify compares a READY request's result`;
  }
}

function describeError(error: unknown): string {
  if (error instanceof AwsRequestError || error instanceof AtlasApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Compares `requestId`'s recorded result with the account (RequestNotFoundError when unknown). With
 * `repair`, `env` must be writable: the repairable drift is put back, then the account is read again.
 */
export async function verifyRequest(
  env: Environment,
  requestId: string,
  options: { repair?: boolean } = {},
): Promise<VerifyReport> {
  const rec = await recorded(env, requestId);
  const { request, result } = rec;
  if (result.status !== 'READY')
    return {
      requestId,
      status: result.status,
      clean: true,
      checked: [],
      drift: [],
      note: notCompared(result),
      ...(options.repair && { repaired: [], found: [] }),
    };
  const ports = checkPorts(request.region, 'atlas' in request.service, options.repair === true);
  const first = compare(rec, await observe(ports, rec));
  const base = { requestId, status: result.status, checked: first.checked };
  if (!options.repair || !first.drift.some((d) => d.repair))
    return {
      ...base,
      clean: first.drift.length === 0,
      drift: first.drift,
      ...(options.repair && { repaired: [], found: first.drift }),
    };

  const repaired: string[] = [];
  const failed: { repair: string; error: string }[] = [];
  for (const item of first.drift) {
    if (!item.repair) continue;
    try {
      await apply(ports, request, item.repair);
      repaired.push(describeRepair(item.repair));
    } catch (error) {
      failed.push({ repair: describeRepair(item.repair), error: describeError(error) });
    }
  }
  const after = compare(rec, await observe(ports, rec));
  return {
    ...base,
    clean: after.drift.length === 0,
    drift: after.drift,
    repaired,
    found: first.drift,
    ...(failed.length > 0 && { failed }),
  };
}
