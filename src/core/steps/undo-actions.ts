// Carrying out an undo plan's actions in order, within one pass of a removal (remove-resources.ts).
import {
  describeUndoAction,
  type FoundResources,
  type UndoAction,
  undoActionResource,
  waitsFor,
} from '../domain/undo-plan.ts';
import { describeCaughtError, TransientAtlasError, TransientAwsError } from '../errors.ts';
import type { AtlasPort } from '../ports.ts';
import type { StepPorts } from './state.ts';
import { isThrottled } from './throttled.ts';

/** Removal's ports: Atlas's adapter too, for service.atlas requests. */
export type RemovalPorts = StepPorts & { atlas?: AtlasPort };

/** What could not be undone (a terminal error), with the error: it remains. */
export interface RemovalFailure {
  resource: string;
  code: string;
  message: string;
}

export interface AppliedActions {
  undone: string[];
  applied: UndoAction[];
  failed: RemovalFailure[];
  /** the actions of `failed` */
  failedActions: UndoAction[];
  /** some action was still throttled after the pass's budget: it, and what waits on it, go to the next pass */
  throttled: boolean;
}

type UndoService = 'route53' | 'ec2' | 'atlas';

function serviceOf(action: UndoAction): UndoService {
  if (action.kind === 'deleteRecords' || action.kind === 'deleteZone') return 'route53';
  if (action.kind === 'deregisterAtlasEndpoint' || action.kind === 'deleteAtlasService') return 'atlas';
  return 'ec2';
}

function atlasOf(ports: RemovalPorts): AtlasPort {
  if (!ports.atlas) throw new Error('undoing at Atlas needs the Atlas adapter');
  return ports.atlas;
}

async function apply(action: UndoAction, ports: RemovalPorts, requestId: string): Promise<void> {
  switch (action.kind) {
    case 'deleteRecords':
      await ports.route53.changeRecords(
        action.hostedZoneId,
        action.records.map((record) => ({ action: 'DELETE' as const, record })),
        `privatelink-automation undo ${requestId}`,
      );
      return;
    case 'deleteZone':
      return ports.route53.deleteZone(action.hostedZoneId);
    case 'deleteEndpoint':
      return ports.ec2.deleteEndpoint(action.endpointId);
    case 'revokeIngress':
      return ports.ec2.revokeIngress(action.groupId, action.ruleIds);
    case 'rejectConnections':
      return ports.ec2.rejectConnections(action.serviceId, action.endpointIds);
    case 'deleteService':
      return ports.ec2.deleteEndpointService(action.serviceId);
    case 'deregisterAtlasEndpoint':
      return atlasOf(ports).deleteEndpoint(action.projectId, action.serviceId, action.endpointId);
    case 'deleteAtlasService':
      return atlasOf(ports).deleteEndpointService(action.projectId, action.serviceId);
  }
}

/**
 * Carries out `actions` in order. A throttled one leaves the rest of its service's actions, and those
 * that wait on it (waitsFor), to the next pass; other transient errors (5xx) are thrown for the state
 * machine's Retry of the whole pass, which finds what is left; any other error is listed in `failed`
 * and the rest goes on.
 */
export async function applyActions(
  actions: UndoAction[],
  ports: RemovalPorts,
  requestId: string,
  found: Pick<FoundResources, 'zones' | 'endpointFactsKept'>,
): Promise<AppliedActions> {
  const out: AppliedActions = { undone: [], applied: [], failed: [], failedActions: [], throttled: false };
  const throttled = new Set<UndoService>();
  const notDone: UndoAction[] = [];
  for (const action of actions) {
    if (throttled.has(serviceOf(action)) || notDone.some((earlier) => waitsFor(action, earlier, found))) {
      notDone.push(action);
      continue;
    }
    try {
      await apply(action, ports, requestId);
      out.undone.push(describeUndoAction(action));
      out.applied.push(action);
    } catch (error) {
      if (isThrottled(error)) {
        throttled.add(serviceOf(action));
        notDone.push(action);
        out.throttled = true;
        continue;
      }
      if (error instanceof TransientAwsError || error instanceof TransientAtlasError) throw error;
      const { code, message } = describeCaughtError({ Error: (error as Error).name, Cause: (error as Error).message });
      out.failed.push({ resource: undoActionResource(action), code, message });
      out.failedActions.push(action);
      // what waits on it (waitsFor) stays too
      notDone.push(action);
    }
  }
  return out;
}
