// What the passes of one removal remember of Route 53: the zone names settled, and why; the endpoint's addresses.
import { describe, expect, it } from 'vitest';
import { ownZoneOf, rememberPass, zoneNamesToLookUp } from '../../src/core/domain/removal-memory.ts';

const facts = { privateIps: ['10.0.1.5'], dnsName: 'vpce-1.example.com', hostedZoneId: 'Z7HUB' };
const pass = { lookedUp: [], zonesFound: [], applied: [] };

describe('zoneNamesToLookUp', () => {
  it('every name at first; then only those not settled', () => {
    expect(zoneNamesToLookUp(['a.example.com', 'b.example.com'])).toEqual(['a.example.com', 'b.example.com']);
    expect(
      zoneNamesToLookUp(['a.example.com', 'b.example.com'], { zones: [{ name: 'a.example.com', why: 'deleted' }] }),
    ).toEqual(['b.example.com']);
  });
});

describe('rememberPass', () => {
  it('a name looked up with no zone found is settled absent', () => {
    expect(rememberPass({}, { ...pass, lookedUp: ['a.example.com'] })).toEqual({
      zones: [{ name: 'a.example.com', why: 'absent' }],
    });
  });

  it('a zone we deleted is settled deleted; one found and still there is not settled', () => {
    const memory = rememberPass(
      {},
      {
        lookedUp: ['a.example.com', 'b.example.com'],
        zonesFound: ['a.example.com', 'b.example.com'],
        applied: [{ kind: 'deleteZone', hostedZoneId: 'Z1', name: 'a.example.com' }],
      },
    );
    expect(memory).toEqual({ zones: [{ name: 'a.example.com', why: 'deleted' }] });
  });

  it('a name not looked up to the end (throttled) is not settled', () => {
    expect(rememberPass({}, { ...pass, lookedUp: [] })).toEqual({});
  });

  it('keeps what earlier passes settled, once each, and the endpoint last seen live', () => {
    const before = { zones: [{ name: 'a.example.com', why: 'deleted' as const }], endpoint: facts };
    expect(rememberPass(before, { ...pass, lookedUp: ['a.example.com'] })).toEqual(before);
    const live = { ...facts, privateIps: ['10.0.2.9'] };
    expect(rememberPass(before, { ...pass, endpoint: live }).endpoint).toEqual(live);
    expect(rememberPass({}, { ...pass, endpoint: facts })).toEqual({ endpoint: facts });
  });

  it('a zone of ours found is remembered by id until it is settled', () => {
    const own = { name: 'a.example.com', hostedZoneId: 'Z1' };
    const found = rememberPass(
      {},
      { lookedUp: ['a.example.com'], zonesFound: ['a.example.com'], applied: [], ownZones: [own] },
    );
    expect(found).toEqual({ ownZones: [own] });
    expect(ownZoneOf(found, 'a.example.com')).toBe('Z1');
    expect(ownZoneOf(found, 'b.example.com')).toBeUndefined();
    const deleted = rememberPass(found, {
      ...pass,
      applied: [{ kind: 'deleteZone', hostedZoneId: 'Z1', name: 'a.example.com' }],
    });
    expect(deleted).toEqual({ zones: [{ name: 'a.example.com', why: 'deleted' }] });
  });
});
