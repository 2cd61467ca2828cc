// The resolver of `privatelink resolve`, as a pure function: private zones first (most specific wins,
// no fall-through to public DNS), wildcards from the closest encloser, CNAME chains and aliases.
import { describe, expect, it } from 'vitest';
import { type RecordView, recordsAt, resolveName, type ZoneView, zoneFor } from '../../src/cli/resolve-names.ts';

const zone = (name: string, records: RecordView[], id = `Z${name.length}`): ZoneView => ({
  hostedZoneId: id,
  name,
  records,
});
const a = (name: string, ...values: string[]): RecordView => ({ name, type: 'A', values });

describe('zoneFor', () => {
  const zones = [zone('example.com', []), zone('db.example.com', []), zone('other.com', [])];
  it('picks the most specific zone the name falls in, by whole labels', () => {
    expect(zoneFor('a.db.example.com', zones)?.name).toBe('db.example.com');
    expect(zoneFor('db.example.com.', zones)?.name).toBe('db.example.com');
    expect(zoneFor('x.example.com', zones)?.name).toBe('example.com');
    expect(zoneFor('XDB.EXAMPLE.COM', zones)?.name).toBe('example.com');
    expect(zoneFor('example.org', zones)).toBeUndefined();
    expect(zoneFor('notother.com', zones)).toBeUndefined();
  });
});

describe('recordsAt', () => {
  const records = [
    a('example.com', '10.0.0.1'),
    a('*.example.com', '10.0.0.9'),
    a('x.sub.example.com', '10.0.0.2'),
    { name: '*.pinecone.example.com', type: 'CNAME', values: ['pl.example.com'] },
  ];
  it('answers the name itself before any wildcard', () => {
    expect(recordsAt('example.com', records, 'example.com').records.map((r) => r.values)).toEqual([['10.0.0.1']]);
  });
  it('synthesizes from the wildcard of the closest existing ancestor, under the name asked', () => {
    const found = recordsAt('anything.example.com', records, 'example.com');
    expect(found).toMatchObject({ exists: true, wildcard: '*.example.com' });
    expect(found.records).toEqual([a('anything.example.com', '10.0.0.9')]);
    expect(recordsAt('deep.down.example.com', records, 'example.com').wildcard).toBe('*.example.com');
    expect(recordsAt('idx.pinecone.example.com', records, 'example.com').wildcard).toBe('*.pinecone.example.com');
  });
  it('an empty non-terminal exists without records, and blocks the wildcard above it', () => {
    expect(recordsAt('sub.example.com', records, 'example.com')).toEqual({ exists: true, records: [] });
    // sub.example.com exists (it has a descendant), so *.example.com does not cover y.sub.example.com.
    expect(recordsAt('y.sub.example.com', records, 'example.com')).toEqual({ exists: false, records: [] });
  });
});

describe('resolveName', () => {
  const privateZones = [
    zone('pl-0.mongodb.net', [a('pl-0.mongodb.net', '10.0.1.5', '10.0.2.6')], 'ZPL'),
    zone('cluster0.mongodb.net', [
      { name: '_mongodb._tcp.cluster0.mongodb.net', type: 'SRV', values: ['0 0 1024 pl-0.mongodb.net'] },
      { name: 'cluster0.mongodb.net', type: 'TXT', values: ['"authSource=admin"'] },
    ]),
    zone('index.pinecone.io', [
      { name: 'index.pinecone.io', type: 'A', values: ['vpce-1.vpce.amazonaws.com'], alias: true },
      { name: '*.index.pinecone.io', type: 'A', values: ['vpce-1.vpce.amazonaws.com'], alias: true },
    ]),
    zone('loop.example', [
      { name: 'a.loop.example', type: 'CNAME', values: ['b.loop.example'] },
      { name: 'b.loop.example', type: 'CNAME', values: ['a.loop.example'] },
    ]),
    zone('chain.example', [{ name: 'www.chain.example', type: 'CNAME', values: ['pl-0.mongodb.net'] }]),
    zone('out.example', [{ name: 'db.out.example', type: 'CNAME', values: ['public.vendor.example'] }]),
  ];
  const publicRecords = [
    a('vpce-1.vpce.amazonaws.com', '10.0.3.7'),
    { name: 'pl-0.mongodb.net', type: 'CNAME', values: ['vpce-1.vpce.amazonaws.com'] },
    { name: 'public.vendor.example', type: 'CNAME', values: ['vpce-1.vpce.amazonaws.com'] },
    { name: 'www.mongodb.net', type: 'A', values: ['203.0.113.10'] },
  ];
  const resolve = (name: string, type: 'A' | 'SRV' | 'TXT' | 'CNAME' = 'A') =>
    resolveName(name, type, privateZones, publicRecords);

  it('a private zone answers before public DNS', () => {
    const r = resolve('pl-0.mongodb.net');
    expect(r.status).toBe('NOERROR');
    expect(r.answers).toEqual([
      {
        name: 'pl-0.mongodb.net',
        type: 'A',
        values: ['10.0.1.5', '10.0.2.6'],
        source: 'private zone pl-0.mongodb.net (ZPL)',
      },
    ]);
  });

  it('SRV and TXT come from the zone that holds them', () => {
    expect(resolve('_mongodb._tcp.cluster0.mongodb.net', 'SRV').answers[0]?.values).toEqual([
      '0 0 1024 pl-0.mongodb.net',
    ]);
    expect(resolve('cluster0.mongodb.net', 'TXT').answers[0]?.values).toEqual(['"authSource=admin"']);
  });

  it('a name in a private zone without that record is NXDOMAIN, never forwarded to public DNS', () => {
    const r = resolve('cluster0.mongodb.net', 'A');
    expect(r.status).toBe('NXDOMAIN');
    expect(r.answers).toEqual([]);
    expect(r.note).toContain('has no A record for cluster0.mongodb.net');
    expect(resolve('other.cluster0.mongodb.net').status).toBe('NXDOMAIN');
  });

  it('names no private zone holds get public answers: A, NODATA, NXDOMAIN', () => {
    expect(resolve('www.mongodb.net').answers).toEqual([
      { name: 'www.mongodb.net', type: 'A', values: ['203.0.113.10'], source: 'public DNS' },
    ]);
    expect(resolve('www.mongodb.net', 'TXT').status).toBe('NODATA');
    expect(resolve('nowhere.mongodb.net').status).toBe('NXDOMAIN');
  });

  it('an alias answers with its target’s addresses under the name asked, wildcards included', () => {
    const r = resolve('index.pinecone.io');
    expect(r.answers).toEqual([
      {
        name: 'index.pinecone.io',
        type: 'A',
        values: ['10.0.3.7'],
        source: 'private zone index.pinecone.io (Z17), alias to vpce-1.vpce.amazonaws.com',
      },
    ]);
    const wild = resolve('a-b-c.index.pinecone.io');
    expect(wild.answers[0]?.source).toContain('wildcard *.index.pinecone.io');
    expect(wild.answers[0]?.values).toEqual(['10.0.3.7']);
  });

  it('follows CNAME chains across private and public answers', () => {
    const r = resolve('www.chain.example');
    expect(r.answers.map((x) => [x.name, x.type, x.values])).toEqual([
      ['www.chain.example', 'CNAME', ['pl-0.mongodb.net']],
      ['pl-0.mongodb.net', 'A', ['10.0.1.5', '10.0.2.6']],
    ]);
    const out = resolve('db.out.example');
    expect(out.answers.map((x) => x.type)).toEqual(['CNAME', 'CNAME', 'A']);
    expect(out.answers.at(-1)?.values).toEqual(['10.0.3.7']);
  });

  it('asked for CNAME, returns the CNAME itself', () => {
    expect(resolve('www.chain.example', 'CNAME').answers).toHaveLength(1);
  });

  it('a CNAME loop stops as SERVFAIL', () => {
    const r = resolve('a.loop.example');
    expect(r.status).toBe('SERVFAIL');
    expect(r.note).toContain('CNAME loop');
  });

  it('is case- and trailing-dot-insensitive', () => {
    expect(resolve('PL-0.MongoDB.net.').answers[0]?.values).toEqual(['10.0.1.5', '10.0.2.6']);
  });
});
