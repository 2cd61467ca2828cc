// The simulated Atlas organization's persisted state and its lifecycles. As in the EC2 simulation,
// lifecycles are stored as timestamps and read against the simulated clock: nothing ticks in the
// background, and reading (GET, inventory) never changes anything.
import type { AtlasConnectionStatus, AtlasServiceStatus } from '../ports.ts';

/** The seed's `atlas` section as the simulation reads it (seed.ts's AtlasSeed has this shape). */
export interface AtlasOrg {
  /** the AWS account that owns the endpoint services Atlas creates */
  accountId: string;
  projects: { projectId: string; clusters: AtlasClusterSeed[] }[];
  timing: {
    serviceReadyAfterSeconds: number;
    endpointAvailableAfterSeconds: number;
    connectionStringsAfterSeconds: number;
  };
  serviceAccount: { clientId: string; clientSecret: string };
}

export interface AtlasClusterSeed {
  name: string;
  type: 'REPLICASET' | 'SHARDED';
  /** AWS region name, e.g. us-east-1 */
  region: string;
  /** replica set members, or mongos for a sharded cluster: one port each from 1024 */
  nodes: number;
}

export interface AtlasServiceRecord {
  /** 24 hex */
  id: string;
  projectId: string;
  /** AWS region name */
  region: string;
  createdAt: number;
  /** the AWS endpoint service Atlas created for it, in the EC2 simulation under atlas.accountId */
  awsServiceId: string;
  awsServiceName: string;
  deleteRequestedAt?: number;
}

export interface AtlasEndpointRecord {
  /** the Atlas endpoint service it is registered with */
  serviceId: string;
  projectId: string;
  /** the AWS vpce id */
  endpointId: string;
  /** N of the `pl-N-<region>` host names: the lowest index no live endpoint of the service holds */
  index: number;
  registeredAt: number;
  /** when the AWS side is (or will be) available: at registration, or once Atlas's acceptance has taken effect */
  awsReadyAt: number;
  deleteRequestedAt?: number;
}

export interface AtlasState {
  /** for deterministic ids and tokens, apart from the EC2 ids so Atlas calls never shift them */
  counter: number;
  services: AtlasServiceRecord[];
  /** kept after deletion: their reconfiguration windows still decide the clusters' state for a while */
  endpoints: AtlasEndpointRecord[];
  tokens: { token: string; expiresAt: number }[];
}

export function emptyAtlasState(): AtlasState {
  return { counter: 0, services: [], endpoints: [], tokens: [] };
}

/** Timing of the lifecycles, in milliseconds. */
export interface AtlasClock {
  now: number;
  serviceReadyMs: number;
  /** from the registration until Atlas reports AVAILABLE (not before the AWS side is available) */
  endpointAvailableMs: number;
  /** from AVAILABLE until the clusters are IDLE again with the endpoint's strings */
  connectionStringsMs: number;
  /** how long a DELETING endpoint or service lasts before Atlas answers 404 (the sandbox's AWS deletion time) */
  deletingMs: number;
}

export function serviceGone(s: AtlasServiceRecord, c: AtlasClock): boolean {
  return s.deleteRequestedAt !== undefined && c.now >= s.deleteRequestedAt + c.deletingMs;
}

export function endpointGone(e: AtlasEndpointRecord, c: AtlasClock): boolean {
  return e.deleteRequestedAt !== undefined && c.now >= e.deleteRequestedAt + c.deletingMs;
}

/** The AWS endpoint as Atlas sees it (the EC2 simulation's endpointView, or undefined when AWS has none). */
export interface AwsEndpointSeen {
  state: string;
}

export function connectionStatus(
  e: AtlasEndpointRecord,
  aws: AwsEndpointSeen | undefined,
  c: AtlasClock,
): { status: AtlasConnectionStatus; errorMessage?: string } {
  if (e.deleteRequestedAt !== undefined) return { status: 'DELETING' };
  const state = aws?.state;
  if (state === undefined || state === 'deleting' || state === 'gone')
    return { status: 'PENDING', errorMessage: `Interface endpoint ${e.endpointId} was not found in AWS.` };
  if (state === 'pendingAcceptance') return { status: 'PENDING_ACCEPTANCE' };
  if (state === 'rejected')
    return { status: 'REJECTED', errorMessage: `AWS rejected the connection of interface endpoint ${e.endpointId}.` };
  // Atlas reports an AWS-side failure in errorMessage, not in a state (VENDORS §1.1, TFP #590).
  if (state === 'failed')
    return { status: 'PENDING', errorMessage: `Interface endpoint ${e.endpointId} is in state failed in AWS.` };
  if (state === 'available' && c.now >= availableAt(e, c)) return { status: 'AVAILABLE' };
  return { status: 'PENDING' };
}

/**
 * Atlas reports AVAILABLE once the AWS side is available and its own endpointAvailableAfterSeconds
 * since the registration have passed (the seed's timing), whichever is later.
 */
export function availableAt(e: AtlasEndpointRecord, c: AtlasClock): number {
  return Math.max(e.awsReadyAt, e.registeredAt + c.endpointAvailableMs);
}

/** When Atlas has reconfigured the clusters for this endpoint and lists its connection strings. */
export function stringsAt(e: AtlasEndpointRecord, c: AtlasClock): number {
  return availableAt(e, c) + c.connectionStringsMs;
}

/**
 * Every cluster of the project is UPDATING while Atlas reconfigures it for a registration (until the
 * endpoint's strings are out) or a deregistration; TFP waits for all of them to be IDLE (VENDORS §2.2).
 */
export function clusterState(projectId: string, endpoints: AtlasEndpointRecord[], c: AtlasClock): 'IDLE' | 'UPDATING' {
  const busy = endpoints.some((e) => {
    if (e.projectId !== projectId) return false;
    if (c.now >= e.registeredAt && c.now < stringsAt(e, c)) return true;
    return (
      e.deleteRequestedAt !== undefined &&
      c.now >= e.deleteRequestedAt &&
      c.now < e.deleteRequestedAt + c.connectionStringsMs
    );
  });
  return busy ? 'UPDATING' : 'IDLE';
}

export function serviceStatus(
  s: AtlasServiceRecord,
  endpointStatuses: AtlasConnectionStatus[],
  c: AtlasClock,
): AtlasServiceStatus {
  if (s.deleteRequestedAt !== undefined) return 'DELETING';
  if (c.now < s.createdAt + c.serviceReadyMs) return 'INITIATING';
  // (inference, VENDORS §1.3) AVAILABLE once an interface endpoint has connected.
  return endpointStatuses.includes('AVAILABLE') ? 'AVAILABLE' : 'WAITING_FOR_USER';
}

/** us-east-1 → US_EAST_1 */
export function atlasRegion(awsRegion: string): string {
  return awsRegion.toUpperCase().replace(/-/g, '_');
}

/** US_EAST_1 or us-east-1 → us-east-1 */
export function awsRegion(region: string): string {
  return region.toLowerCase().replace(/_/g, '-');
}
