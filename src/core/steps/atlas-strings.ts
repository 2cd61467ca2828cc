// CheckConnectionStrings: Atlas's private connection strings for our endpoint, read from the cluster
// once it is IDLE and lists our endpoint id in connectionStrings.privateEndpoint[].endpoints[] (the
// entry MongoDB's own example picks; VENDORS.md §1.6). Until then the workflow waits and reads again.
import { ATLAS_STRINGS_DEADLINE_SECONDS, nextAtlasPollSeconds } from '../domain/polling.ts';
import { PreconditionError, VendorStateError } from '../errors.ts';
import type { AtlasCluster, AtlasPrivateEndpointStrings } from '../ports.ts';
import type { AtlasStepPorts, AtlasStringsState, WorkflowState } from './state.ts';

/** The cluster's private-endpoint entry for `endpointId`, once Atlas serves it. */
export function stringsFor(cluster: AtlasCluster, endpointId: string): AtlasPrivateEndpointStrings | undefined {
  if (cluster.stateName !== 'IDLE') return undefined;
  return cluster.privateEndpoint.find((entry) => entry.endpoints.some((e) => e.endpointId === endpointId));
}

export async function checkConnectionStrings(state: WorkflowState, ports: AtlasStepPorts): Promise<AtlasStringsState> {
  const { service, endpoint } = state;
  const vendor = service?.vendor;
  if (!vendor || !endpoint) throw new PreconditionError('MissingState', 'no endpoint registered with Atlas');
  const previous = state.atlas;
  const polls = (previous?.polls ?? 0) + 1;
  const deadlineAt = previous?.deadlineAt ?? ports.clock.now() + ATLAS_STRINGS_DEADLINE_SECONDS * 1000;
  const cluster = await ports.atlas.getCluster(vendor.projectId, vendor.clusterName);
  const entry = stringsFor(cluster, endpoint.endpointId);
  if (!entry && ports.clock.now() > deadlineAt)
    throw new VendorStateError(
      'AtlasConnectionStringsDeadlineExceeded',
      `cluster ${vendor.clusterName} gave no private connection string for ${endpoint.endpointId} (state ${cluster.stateName}, ${polls} reads)`,
    );
  return {
    ready: entry !== undefined,
    polls,
    waitSeconds: nextAtlasPollSeconds(polls),
    deadlineAt,
    clusterState: cluster.stateName,
    ...(entry && {
      strings: {
        ...(entry.connectionString && { standard: entry.connectionString }),
        ...(entry.srvConnectionString && { srv: entry.srvConnectionString }),
        ...(entry.srvShardOptimizedConnectionString && { srvShardOptimized: entry.srvShardOptimizedConnectionString }),
      },
    }),
  };
}
