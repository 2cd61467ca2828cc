// What the passes of one removal (a teardown, or a compensation) carry from one pass to the next, so a
// later pass need not ask Route 53 again what an earlier one settled: with many removals on one account
// Route 53's five requests per second are the scarce thing, and a zone gone stays gone.
//
// Why a remembered fact stays true: only a provisioning of this same request writes our records or
// creates a zone of ours (CallerReference), and none runs during its removal. Compensation runs inside
// the provisioning, after the failed step (each Lambda's timeout is shorter than its state's, so no
// invocation outlives its step); a teardown starts only once the provisioning has stopped, and a new
// provisioning is refused while the teardown runs (RequestBusyError both ways; in AWS the execution's
// name, the request id, cannot run twice). Others' zones and records are never ours to remove, so a
// zone of others appearing later changes nothing. A fact goes with its execution: a new teardown
// starts from nothing.
import type { EndpointDnsFacts } from './dns-plan.ts';
import type { UndoAction } from './undo-plan.ts';

/** A zone name an earlier pass settled, and why: nothing of ours is left at it. */
export interface SettledZone {
  name: string;
  /** deleted: we deleted our zone of that name; absent: no zone of ours, none serving the VPC */
  why: 'deleted' | 'absent';
}

/**
 * A zone this request created (by CallerReference), found by an earlier pass and not deleted yet. Only
 * we delete it, or another request sharing its name once it is empty: then reading it by id answers
 * NoSuchHostedZone, which counts as absent.
 */
export interface OwnZone {
  name: string;
  hostedZoneId: string;
}

/** $.removal.memory (teardown) and $.undo.memory (compensation): small, it rides in the workflow's state. */
export interface RemovalMemory {
  zones?: SettledZone[];
  /** read by id in later passes, not looked up by name again (one ListHostedZonesByName less each) */
  ownZones?: OwnZone[];
  /**
   * The endpoint's addresses and DNS name, kept from the pass that saw it live: our records in a zone
   * we did not create are known by their data, so they stay recognizable once the endpoint is gone.
   */
  endpoint?: EndpointDnsFacts;
}

/** The zone names a pass still has to look up: all of the request's, less those settled before. */
export function zoneNamesToLookUp(names: string[], memory: RemovalMemory = {}): string[] {
  const settled = new Set((memory.zones ?? []).map((z) => z.name));
  return names.filter((name) => !settled.has(name));
}

/** The id of our own zone of `name`, when an earlier pass found it. */
export function ownZoneOf(memory: RemovalMemory, name: string): string | undefined {
  return memory.ownZones?.find((z) => z.name === name)?.hostedZoneId;
}

/** What a pass settled, and what it saw of the endpoint, added to what was remembered before it. */
export function rememberPass(
  memory: RemovalMemory,
  pass: {
    /** names this pass looked up to the end (not cut short by throttling) */
    lookedUp: string[];
    /** of those, the names where a zone of ours or one serving the VPC was found */
    zonesFound: string[];
    /** the actions this pass carried out */
    applied: UndoAction[];
    /** the zones this request created that this pass found */
    ownZones?: OwnZone[];
    /** the endpoint's facts when this pass saw it live */
    endpoint?: EndpointDnsFacts;
  },
): RemovalMemory {
  const zones = [...(memory.zones ?? [])];
  const known = new Set(zones.map((z) => z.name));
  const settle = (name: string, why: SettledZone['why']) => {
    if (known.has(name)) return;
    known.add(name);
    zones.push({ name, why });
  };
  for (const name of pass.lookedUp) if (!pass.zonesFound.includes(name)) settle(name, 'absent');
  for (const action of pass.applied) if (action.kind === 'deleteZone') settle(action.name, 'deleted');
  const ownZones = [...(memory.ownZones ?? [])];
  for (const zone of pass.ownZones ?? []) if (!ownZones.some((z) => z.name === zone.name)) ownZones.push(zone);
  const standing = ownZones.filter((z) => !known.has(z.name));
  const endpoint = pass.endpoint ?? memory.endpoint;
  return {
    ...(zones.length > 0 && { zones }),
    ...(standing.length > 0 && { ownZones: standing }),
    ...(endpoint && { endpoint }),
  };
}
