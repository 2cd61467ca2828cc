// CheckEndpoint: follows the endpoint and its private DNS together, polling inside one invocation for up
// to CHECK_WINDOW_SECONDS (every CHECK_INTERVAL_SECONDS on the clock port), so READY comes seconds after
// `available` instead of a Wait interval later. Each poll is one DescribeVpcEndpoints (and, for Atlas, a
// GET of our endpoint at Atlas every ATLAS_INTERVAL_SECONDS). The records, written right after creation
// when they could be, are written here once what they need exists; GetChange is asked only once the
// endpoint is available and the change had time to sync, so it is usually asked once per change.
// READY needs both: the endpoint available (and AVAILABLE at Atlas, with its connection strings) and
// every change seen INSYNC. An endpoint waiting for a vendor without an API says exactly what someone
// must do, and returns at once with a long backoff (the Wait state) until the request's vendor deadline.
import {
  CHECK_INTERVAL_SECONDS,
  CHECK_WINDOW_SECONDS,
  DNS_DEADLINE_SECONDS,
  nextVendorPollSeconds,
  throttleBackoffSeconds,
} from '../domain/polling.ts';
import type { Action } from '../domain/result.ts';
import { isKnownVendor, vendorAction } from '../domain/vendors.ts';
import { AwsRequestError, EndpointStateError, PreconditionError, VendorStateError } from '../errors.ts';
import type { EndpointInfo } from '../ports.ts';
import { atlasEndpointStatus } from './atlas-endpoint.ts';
import { checkConnectionStrings } from './atlas-strings.ts';
import { checkDnsChange } from './check-dns-change.ts';
import { type EndpointProgress, endpointDnsFields, waitsOnOwner } from './create-interface-endpoint.ts';
import type { AtlasStepPorts, AtlasStringsState, ServiceState, StepPorts, WorkflowState } from './state.ts';
import { isThrottled, pause } from './throttled.ts';
import { type DnsProgress, dnsFactsFrom, writeDns } from './upsert-dns-records.ts';

/**
 * Atlas is asked less often than EC2 (its API meters each project with a token bucket, VENDORS.md):
 * every 5 s, the Terraform provider's shortest interval (VENDORS.md §2.1).
 */
export const ATLAS_INTERVAL_SECONDS = 5;

export type CheckPorts = StepPorts & Partial<Pick<AtlasStepPorts, 'atlas'>>;

/** What the check moves on: the state machine's `$.endpoint`, `$.dns` and (Atlas) `$.atlas`. */
export interface Followed {
  endpoint: EndpointProgress;
  dns?: DnsProgress;
  atlas?: AtlasStringsState;
}

/** What the service's owner must do for a pending endpoint. */
export function ownerAction(state: WorkflowState, service: ServiceState, endpointId: string): Action {
  const spec = state.request.service;
  const what =
    'vendor' in spec && isKnownVendor(spec.vendor)
      ? vendorAction(spec.vendor, endpointId, state.request.region)
      : `Ask the owner of ${service.serviceName} to accept the connection of ${endpointId}`;
  return { who: 'vendor', what, endpointId };
}

/**
 * One DescribeVpcEndpoints (and Atlas's view when `askAtlas`): the endpoint as it stands, failing on
 * failed, rejected or a deadline passed. `ready` here means available on both sides.
 */
export async function pollEndpoint(
  state: WorkflowState,
  ports: Pick<CheckPorts, 'ec2' | 'clock' | 'atlas'>,
  askAtlas = true,
): Promise<{ endpoint: EndpointProgress; info: EndpointInfo }> {
  const { service } = state;
  const endpoint = state.endpoint as EndpointProgress | undefined;
  if (!endpoint || !service) throw new PreconditionError('MissingState', 'the endpoint has not been created');
  const found = await ports.ec2.describeEndpoint(endpoint.endpointId);
  if (!found)
    throw new AwsRequestError(
      'InvalidVpcEndpointId.NotFound',
      'DescribeVpcEndpoints',
      `endpoint ${endpoint.endpointId} no longer exists`,
    );
  const polls = endpoint.polls + 1;
  const now = ports.clock.now();
  if (found.state === 'failed')
    throw new EndpointStateError('EndpointFailed', `endpoint ${endpoint.endpointId} went to state failed`);
  if (found.state === 'rejected' || found.state === 'expired')
    throw new EndpointStateError(
      'EndpointRejected',
      `the service owner ${found.state === 'rejected' ? 'rejected' : 'let expire'} the connection of ${endpoint.endpointId}`,
    );
  const waitingOnOwner = found.state === 'pendingAcceptance' && waitsOnOwner(service);
  if (waitingOnOwner && endpoint.vendorDeadlineAt !== undefined && now > endpoint.vendorDeadlineAt)
    throw new VendorStateError(
      'VendorDeadlineExceeded',
      `nobody accepted ${endpoint.endpointId} on ${service.serviceName} before the vendor deadline (${polls} checks)`,
    );

  const atlas =
    service.kind === 'atlas' && ports.atlas && (askAtlas || found.state === 'available')
      ? await atlasEndpointStatus(service, endpoint.endpointId, { atlas: ports.atlas })
      : undefined;
  const vendorStatus = atlas?.connectionStatus ?? endpoint.vendorStatus;
  const ready = found.state === 'available' && (service.kind !== 'atlas' || vendorStatus === 'AVAILABLE');
  if (!ready && now > endpoint.deadlineAt)
    throw new EndpointStateError(
      'EndpointDeadlineExceeded',
      `endpoint ${endpoint.endpointId} is still ${found.state}${vendorStatus ? ` (Atlas: ${vendorStatus})` : ''} after ${polls} checks`,
    );
  const { action: _previousAction, ...rest } = endpoint;
  return {
    info: found,
    endpoint: {
      ...rest,
      ...endpointDnsFields(found),
      state: found.state,
      polls,
      waitSeconds: waitingOnOwner ? nextVendorPollSeconds(polls - 1) : 0,
      needsAcceptance: found.state === 'pendingAcceptance' && service.owned,
      ready,
      ...(waitingOnOwner && { action: ownerAction(state, service, endpoint.endpointId) }),
      ...(vendorStatus && { vendorStatus }),
    },
  };
}

/** Whether the request has private DNS of its own to write (Atlas publishes its names; a hand-off's is the other party's). */
function wantsDns(state: WorkflowState): boolean {
  return state.request.target !== undefined && 'vpcId' in state.request.consumer;
}

/** The records, if they were not written yet and what they need now exists. */
async function writeLate(
  state: WorkflowState,
  endpoint: EndpointProgress,
  ports: CheckPorts,
  budgetSeconds: number,
): Promise<DnsProgress | undefined> {
  const interfaces = endpoint.networkInterfaceIds ?? [];
  const privateIps = interfaces.length > 0 ? await ports.ec2.privateIps(interfaces) : [];
  const facts = dnsFactsFrom(state.request, endpoint, privateIps);
  return facts ? writeDns({ ...state, endpoint }, facts, ports, budgetSeconds) : undefined;
}

/** GetChange for what is not yet seen INSYNC, once it may be; a throttled answer is no news. */
async function followChanges(state: WorkflowState, dns: DnsProgress, ports: CheckPorts): Promise<DnsProgress> {
  const now = ports.clock.now();
  if (dns.insync || now < (dns.checkAfter ?? 0)) return dns;
  // Route 53's time counts from the first question, not from the write (the endpoint may take far longer).
  const deadlineAt = dns.polls === 0 ? Math.max(dns.deadlineAt, now + DNS_DEADLINE_SECONDS * 1000) : dns.deadlineAt;
  try {
    const checked = await checkDnsChange({ ...state, dns: { ...dns, deadlineAt } }, ports);
    return { ...dns, ...checked, throttled: 0, checkAfter: ports.clock.now() + CHECK_INTERVAL_SECONDS * 1000 };
  } catch (error) {
    if (!isThrottled(error)) throw error;
    // Backed off with jitter, as any throttled call: requests throttled together ask again apart, and
    // a crowd of them leaves Route 53's five requests per second to the records still to be written.
    const throttled = (dns.throttled ?? 0) + 1;
    const pause = throttleBackoffSeconds(throttled, Math.random(), CHECK_INTERVAL_SECONDS, 30);
    return { ...dns, throttled, checkAfter: ports.clock.now() + pause * 1000 };
  }
}

export async function followEndpoint(state: WorkflowState, ports: CheckPorts): Promise<Followed> {
  const { service } = state;
  if (!state.endpoint || !service) throw new PreconditionError('MissingState', 'the endpoint has not been created');
  const windowEnd = ports.clock.now() + CHECK_WINDOW_SECONDS * 1000;
  let endpoint = state.endpoint as EndpointProgress;
  let dns = state.dns as DnsProgress | undefined;
  let atlas = state.atlas;
  let atlasDueAt = 0;
  let stringsDueAt = 0;
  let backoff = CHECK_INTERVAL_SECONDS;

  for (;;) {
    const current = (): WorkflowState => ({ ...state, endpoint, ...(dns && { dns }), ...(atlas && { atlas }) });
    let throttled = false;
    // Once available on both sides, an endpoint stays so: only DNS and Atlas's strings are left to follow.
    if (!endpoint.ready) {
      try {
        const askAtlas = ports.clock.now() >= atlasDueAt;
        ({ endpoint } = await pollEndpoint(current(), ports, askAtlas));
        if (askAtlas) atlasDueAt = ports.clock.now() + ATLAS_INTERVAL_SECONDS * 1000;
      } catch (error) {
        // Many requests polling one account: a throttled poll is a poll that learnt nothing.
        if (!isThrottled(error)) throw error;
        throttled = true;
      }
    }
    // The owner must act (accept it ourselves, or wait for the vendor): the state machine takes it from here.
    if (endpoint.needsAcceptance || endpoint.action) return { endpoint, ...(dns && { dns }), ...(atlas && { atlas }) };

    const remaining = () => Math.max(0, (windowEnd - ports.clock.now()) / 1000);
    if (wantsDns(state) && !dns?.written) dns = (await writeLate(current(), endpoint, ports, remaining())) ?? dns;
    if (endpoint.ready) {
      if (dns?.written) dns = await followChanges(current(), dns, ports);
      if (service.kind === 'atlas' && ports.atlas && !atlas?.ready && ports.clock.now() >= stringsDueAt) {
        atlas = await checkConnectionStrings(current(), { ...ports, atlas: ports.atlas });
        stringsDueAt = ports.clock.now() + ATLAS_INTERVAL_SECONDS * 1000;
      }
    }
    const dnsDone = !wantsDns(state) || (dns?.written === true && dns.insync);
    const atlasDone = service.kind !== 'atlas' || atlas?.ready === true;
    const done = endpoint.ready && dnsDone && atlasDone;
    const result = (): Followed => ({
      // `ready` for the Choice after this state: everything READY needs is there.
      endpoint: { ...endpoint, ready: done, waitSeconds: 0 },
      ...(dns && { dns }),
      ...(atlas && { atlas }),
    });
    if (done) return result();

    // Throttled polls back off (jittered), so a crowd of requests spreads out over the account's rate.
    backoff = throttled ? Math.min(backoff * 2, 8 * CHECK_INTERVAL_SECONDS) : CHECK_INTERVAL_SECONDS;
    let next = throttled ? backoff * (0.5 + Math.random() / 2) : backoff;
    if (endpoint.ready) {
      // Nothing to poll but what is due later: sleep until the first of those.
      const dnsDue = dnsDone ? Number.POSITIVE_INFINITY : dns?.written ? (dns.checkAfter ?? 0) : 0;
      const due = [dnsDue, atlasDone ? Number.POSITIVE_INFINITY : stringsDueAt];
      next = Math.max(next, (Math.min(...due) - ports.clock.now()) / 1000);
    }
    if (next > remaining()) return result();
    await pause(ports.clock, next);
  }
}
