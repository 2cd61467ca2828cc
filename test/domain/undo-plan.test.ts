// planUndo: what compensation and teardown remove, decided from what was found.
import { describe, expect, it } from 'vitest';
import { type FoundResources, planUndo, type UndoAction, waitsFor } from '../../src/core/domain/undo-plan.ts';

const none: FoundResources = { records: [], zones: [], endpoints: [], ingressRules: [], services: [] };
const zone = { hostedZoneId: 'Z1', name: 'db.example.com', createdByRequest: true, otherRecords: 0 };
const kinds = (found: Partial<FoundResources>) => planUndo({ ...none, ...found }).actions.map((a) => a.kind);

describe('planUndo', () => {
  it('nothing found: nothing to do, nothing to wait for', () => {
    expect(planUndo(none)).toEqual({ actions: [], kept: [], waitingFor: [], inProgress: 0 });
  });

  it('records, then the zone, then the endpoint, then ingress', () => {
    expect(
      kinds({
        records: [
          {
            hostedZoneId: 'Z1',
            zoneName: 'db.example.com',
            records: [{ name: 'db.example.com', type: 'A', values: ['10.0.1.5'] }],
          },
        ],
        zones: [zone],
        endpoints: [{ endpointId: 'vpce-1', state: 'available' }],
        ingressRules: [{ groupId: 'sg-1', ruleId: 'sgr-1' }],
      }),
    ).toEqual(['deleteRecords', 'deleteZone', 'deleteEndpoint', 'revokeIngress']);
  });

  it('a zone we created that holds records of others is kept, with why', () => {
    const plan = planUndo({ ...none, zones: [{ ...zone, otherRecords: 2 }] });
    expect(plan.actions).toEqual([]);
    expect(plan.kept[0]).toMatch(/zone db\.example\.com \(Z1\): it holds 2 record set\(s\) of others/);
  });

  it('a reused zone is never deleted; one another request of ours created goes once empty', () => {
    expect(kinds({ zones: [{ ...zone, createdByRequest: false }] })).toEqual([]);
    expect(kinds({ zones: [{ ...zone, createdByRequest: false, createdByOtherRequest: true }] })).toEqual([
      'deleteZone',
    ]);
    expect(
      kinds({ zones: [{ ...zone, createdByRequest: false, createdByOtherRequest: true, otherRecords: 1 }] }),
    ).toEqual([]);
    expect(
      planUndo({ ...none, zones: [{ ...zone, createdByRequest: false, createdByOtherRequest: true, otherRecords: 1 }] })
        .kept,
    ).toEqual([]);
  });

  it('an endpoint being deleted is waited for, not deleted again', () => {
    const plan = planUndo({ ...none, endpoints: [{ endpointId: 'vpce-1', state: 'deleting' }] });
    expect(plan.actions).toEqual([]);
    expect(plan.waitingFor).toEqual(['endpoint vpce-1 to be deleted']);
  });

  it('our service: pending connections of others rejected; deleted only once our endpoint is gone', () => {
    const service = {
      serviceId: 'vpce-svc-1',
      connections: [
        { endpointId: 'vpce-ours', state: 'available' },
        { endpointId: 'vpce-theirs', state: 'pendingAcceptance' },
      ],
    };
    const first = planUndo({
      ...none,
      endpoints: [{ endpointId: 'vpce-ours', state: 'available' }],
      services: [service],
    });
    expect(first.actions.map((a) => a.kind)).toEqual(['deleteEndpoint', 'rejectConnections']);
    expect(first.waitingFor).toContain('endpoint service vpce-svc-1 to have no endpoints');
    const later = planUndo({
      ...none,
      services: [{ serviceId: 'vpce-svc-1', connections: [{ endpointId: 'vpce-theirs', state: 'rejected' }] }],
    });
    expect(later.actions.map((a) => a.kind)).toEqual(['deleteService']);
  });

  it('our service stays while another party is connected, with why', () => {
    const plan = planUndo({
      ...none,
      services: [{ serviceId: 'vpce-svc-1', connections: [{ endpointId: 'vpce-theirs', state: 'available' }] }],
    });
    expect(plan.actions).toEqual([]);
    expect(plan.kept).toEqual(['endpoint service vpce-svc-1: 1 endpoint(s) of others still connected']);
    expect(plan.waitingFor).toEqual([]);
  });

  it('zones Route 53 did not answer for are waited for; the EC2 side goes on', () => {
    const plan = planUndo({
      ...none,
      endpoints: [{ endpointId: 'vpce-1', state: 'available' }],
      ingressRules: [{ groupId: 'sg-1', ruleId: 'sgr-1' }],
      unresolvedZones: ['db.example.com'],
      endpointFactsKept: true,
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(['deleteEndpoint', 'revokeIngress']);
    expect(plan.waitingFor).toContain('Route 53 to answer for zone db.example.com');
  });

  it('the endpoint stays while zones are unanswered and its addresses are not remembered', () => {
    const plan = planUndo({
      ...none,
      endpoints: [{ endpointId: 'vpce-1', state: 'available' }],
      ingressRules: [{ groupId: 'sg-1', ruleId: 'sgr-1' }],
      unresolvedZones: ['db.example.com'],
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(['revokeIngress']);
    expect(plan.waitingFor).toEqual(['Route 53 to answer for zone db.example.com', 'endpoint vpce-1 to be deleted']);
  });
});

describe('an endpoint whose records in others’ zones could not be deleted', () => {
  it('stays, even with its addresses remembered: the next teardown reads them from it', () => {
    const plan = planUndo({
      ...none,
      endpoints: [{ endpointId: 'vpce-1', state: 'available' }],
      ingressRules: [{ groupId: 'sg-1', ruleId: 'sgr-1' }],
      endpointFactsKept: true,
      othersZoneRecordsFailed: true,
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(['revokeIngress']);
    expect(plan.waitingFor).toEqual(['endpoint vpce-1 to be deleted']);
  });
});

describe('waitsFor', () => {
  const records: UndoAction = {
    kind: 'deleteRecords',
    hostedZoneId: 'Z1',
    zoneName: 'db.example.com',
    records: [{ name: 'db.example.com', type: 'A', values: ['10.0.1.5'] }],
  };
  const endpoint: UndoAction = { kind: 'deleteEndpoint', endpointId: 'vpce-1' };
  const reused = { ...zone, createdByRequest: false };

  it('a zone waits for its own records only', () => {
    const found = { zones: [zone] };
    expect(waitsFor({ kind: 'deleteZone', hostedZoneId: 'Z1', name: 'db.example.com' }, records, found)).toBe(true);
    expect(waitsFor({ kind: 'deleteZone', hostedZoneId: 'Z2', name: 'other.example.com' }, records, found)).toBe(false);
  });

  it('the endpoint waits for records in a zone we did not create, unless its addresses are remembered', () => {
    expect(waitsFor(endpoint, records, { zones: [reused] })).toBe(true);
    expect(waitsFor(endpoint, records, { zones: [reused], endpointFactsKept: true })).toBe(false);
    expect(waitsFor(endpoint, records, { zones: [zone] })).toBe(false);
  });

  it('nothing waits for anything but records', () => {
    expect(waitsFor({ kind: 'revokeIngress', groupId: 'sg-1', ruleIds: ['sgr-1'] }, endpoint, { zones: [] })).toBe(
      false,
    );
  });
});
