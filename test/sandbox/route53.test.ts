import type {
  Change,
  ChangeInfo,
  CreateHostedZoneResponse,
  GetHostedZoneResponse,
  HostedZone,
  ListHostedZonesByNameResponse,
  ListHostedZonesResponse,
  ListResourceRecordSetsResponse,
  ListTagsForResourceResponse,
  ListTagsForResourcesResponse,
  ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, type SandboxTiming, type SimContext } from '../../src/core/sandbox/context.ts';
import { emptyRoute53State, Route53Sim, type Route53State } from '../../src/core/sandbox/route53.ts';

const START = Date.UTC(2026, 0, 1);
const VPC_A = { VPCRegion: 'us-east-1', VPCId: 'vpc-0a1b2c3d4e5f67890' } as const;
const VPC_B = { VPCRegion: 'us-east-1', VPCId: 'vpc-1a2b3c4d5e6f78901' } as const;

type AwsError = Error & { $metadata: { httpStatusCode?: number }; messages?: string[] };

/** The error `fn` throws, checked for its AWS code and HTTP status. */
function thrown(fn: () => unknown, code: string, status: number): AwsError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `should fail with ${code}`).toBeInstanceOf(Error);
  const aws = error as AwsError;
  expect(aws.name).toBe(code);
  expect(aws.$metadata.httpStatusCode).toBe(status);
  return aws;
}

/** A sandbox account around one Route53Sim; `call` advances the clock 250 ms first, as the sandbox core does. */
function account(timing: SandboxTiming = DEFAULT_TIMING, state: Route53State = emptyRoute53State()) {
  let clock = START;
  let counter = 0;
  const ctx: SimContext = {
    accountId: '111122223333',
    timing,
    now: () => clock,
    newId: (prefix, n) => `${prefix}-${(++counter).toString(16).padStart(n, '0')}`,
  };
  let current = state;
  let sim = new Route53Sim(ctx, current);
  const api = {
    get sim() {
      return sim;
    },
    advance(ms: number) {
      clock += ms;
    },
    now: () => clock,
    call<T = Record<string, unknown>>(operation: string, input: object): T {
      clock += 250;
      return sim.handle(operation, input) as T;
    },
    fails(operation: string, input: object, code: string, status: number): AwsError {
      return thrown(() => api.call(operation, input), code, status);
    },
    /** Persist and restore the state the way the sandbox does, continuing on the same clock and ids. */
    reload() {
      current = JSON.parse(JSON.stringify(current)) as Route53State;
      sim = new Route53Sim(ctx, current);
    },
    zone(name: string, vpc: { VPCRegion: string; VPCId: string } = VPC_A, ref = `ref-${name}-${vpc.VPCId}`): string {
      const out = api.call<CreateHostedZoneResponse>('CreateHostedZone', {
        Name: name,
        CallerReference: ref,
        VPC: vpc,
        HostedZoneConfig: { Comment: 'test', PrivateZone: true },
      });
      return out.HostedZone?.Id as string;
    },
    change(zoneId: string, changes: Change[], comment?: string): ChangeInfo {
      api.advance(1000); // keep clear of PriorRequestNotComplete unless a test wants it
      const out = api.call<{ ChangeInfo: ChangeInfo }>('ChangeResourceRecordSets', {
        HostedZoneId: zoneId,
        ChangeBatch: { Comment: comment, Changes: changes },
      });
      return out.ChangeInfo;
    },
    records(zoneId: string): ResourceRecordSet[] {
      return api.call<ListResourceRecordSetsResponse>('ListResourceRecordSets', { HostedZoneId: zoneId })
        .ResourceRecordSets as ResourceRecordSet[];
    },
  };
  return api;
}

function rr(action: 'CREATE' | 'DELETE' | 'UPSERT', name: string, type: string, values: string[], ttl = 60): Change {
  return {
    Action: action,
    ResourceRecordSet: { Name: name, Type: type as 'A', TTL: ttl, ResourceRecords: values.map((Value) => ({ Value })) },
  } as Change;
}

function names(zones: HostedZone[] | undefined): string[] {
  return (zones ?? []).map((z) => z.Name as string);
}

function summary(sets: ResourceRecordSet[]): string[] {
  return sets.map((s) => `${s.Name} ${s.Type}`);
}

describe('CreateHostedZone', () => {
  it('creates a private zone with the SDK output shape and the apex SOA and NS', () => {
    const aws = account();
    const out = aws.call<CreateHostedZoneResponse>('CreateHostedZone', {
      Name: 'PL-0-us-east-1-k45tj.MongoDB.net',
      CallerReference: 'req-1',
      VPC: VPC_A,
      HostedZoneConfig: { Comment: 'for cluster0', PrivateZone: true },
    });
    const id = out.HostedZone?.Id as string;
    expect(id).toMatch(/^\/hostedzone\/Z[0-9A-Z]{13,21}$/);
    expect(out.HostedZone).toEqual({
      Id: id,
      Name: 'pl-0-us-east-1-k45tj.mongodb.net.',
      CallerReference: 'req-1',
      Config: { Comment: 'for cluster0', PrivateZone: true },
      ResourceRecordSetCount: 2,
    });
    expect(out.ChangeInfo?.Id).toMatch(/^\/change\/C[0-9A-Z]{13,21}$/);
    expect(out.ChangeInfo?.Status).toBe('PENDING');
    expect(out.ChangeInfo?.SubmittedAt).toEqual(new Date(aws.now()));
    expect(out.VPC).toEqual(VPC_A);
    expect(out.DelegationSet).toBeUndefined();
    expect(out.Location).toBe(`https://route53.amazonaws.com/2013-04-01${id}`);

    const sets = aws.records(id);
    expect(summary(sets)).toEqual(['pl-0-us-east-1-k45tj.mongodb.net. NS', 'pl-0-us-east-1-k45tj.mongodb.net. SOA']);
    expect(sets[0]?.ResourceRecords).toHaveLength(4);
    expect(sets[1]?.ResourceRecords?.[0]?.Value).toMatch(/^ns-\S+\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 /);
  });

  it('creates a public zone, with a delegation set, when no VPC is given', () => {
    const aws = account();
    const out = aws.call<CreateHostedZoneResponse>('CreateHostedZone', { Name: 'example.com', CallerReference: 'pub' });
    expect(out.HostedZone?.Config?.PrivateZone).toBe(false);
    expect(out.DelegationSet?.NameServers).toHaveLength(4);
    expect(out.VPC).toBeUndefined();
    const got = aws.call<GetHostedZoneResponse>('GetHostedZone', { Id: out.HostedZone?.Id });
    expect(got.DelegationSet?.NameServers).toEqual(out.DelegationSet?.NameServers);
  });

  it('rejects a CallerReference already used by a zone, with HostedZoneAlreadyExists (409)', () => {
    const aws = account();
    aws.zone('a.example.com', VPC_A, 'same-ref');
    const error = aws.fails(
      'CreateHostedZone',
      { Name: 'b.example.com', CallerReference: 'same-ref', VPC: VPC_B },
      'HostedZoneAlreadyExists',
      409,
    );
    expect(error.message).toContain('caller reference');
    expect(aws.sim.inventory()).toHaveLength(1);
  });

  it.each(['bad..example.com', `${'a'.repeat(64)}.example.com`, 'exa mple.com', '.', ''])(
    'rejects the invalid name %j',
    (name) => {
      const aws = account();
      const code = name === '' ? 'InvalidInput' : 'InvalidDomainName';
      aws.fails('CreateHostedZone', { Name: name, CallerReference: 'r', VPC: VPC_A }, code, 400);
      expect(aws.sim.inventory()).toEqual([]);
    },
  );

  it('rejects a second private zone of the same name in the same VPC, but not in another VPC', () => {
    const aws = account();
    const first = aws.zone('db.internal.example.com', VPC_A, 'one');
    const error = aws.fails(
      'CreateHostedZone',
      { Name: 'DB.internal.example.com.', CallerReference: 'two', VPC: VPC_A },
      'ConflictingDomainExists',
      400,
    );
    expect(error.message).toBe(
      `The VPC ${VPC_A.VPCId} in region us-east-1 has already been associated with the hosted zone ` +
        `${first.replace('/hostedzone/', '')} with the same domain name.`,
    );
    expect(aws.zone('db.internal.example.com', VPC_B, 'three')).not.toBe(first);
  });

  it('rejects a private zone without a VPC, and a malformed VPC id', () => {
    const aws = account();
    aws.fails(
      'CreateHostedZone',
      { Name: 'x.example.com', CallerReference: 'r1', HostedZoneConfig: { PrivateZone: true } },
      'InvalidInput',
      400,
    );
    aws.fails(
      'CreateHostedZone',
      { Name: 'x.example.com', CallerReference: 'r2', VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-xyz' } },
      'InvalidVPCId',
      400,
    );
    expect(aws.sim.inventory()).toEqual([]);
  });
});

describe('GetHostedZone', () => {
  it('finds a zone by id with or without the /hostedzone/ prefix and lists its VPCs', () => {
    const aws = account();
    const id = aws.zone('orders.example.com');
    for (const Id of [id, id.replace('/hostedzone/', '')]) {
      const out = aws.call<GetHostedZoneResponse>('GetHostedZone', { Id });
      expect(out.HostedZone?.Id).toBe(id);
      expect(out.HostedZone?.Name).toBe('orders.example.com.');
      expect(out.VPCs).toEqual([VPC_A]);
    }
  });

  it('answers an unknown zone with NoSuchHostedZone (404)', () => {
    const error = account().fails('GetHostedZone', { Id: '/hostedzone/ZNOTTHERE12345' }, 'NoSuchHostedZone', 404);
    expect(error.message).toContain('ZNOTTHERE12345');
  });
});

describe('ListHostedZonesByName', () => {
  // Reversed-label order: com.example-a. < com.example. < com.example.b. < com.example.www. < net.example. < org.example.a.
  const ORDERED = [
    'example-a.com.',
    'example.com.',
    'b.example.com.',
    'www.example.com.',
    'example.net.',
    'a.example.org.',
  ];

  function withZones() {
    const aws = account();
    for (const name of [
      'a.example.org',
      'www.example.com',
      'example.net',
      'b.example.com',
      'example.com',
      'example-a.com',
    ]) {
      aws.zone(name);
    }
    return aws;
  }

  it('lists zones by name with the labels reversed', () => {
    const out = withZones().call<ListHostedZonesByNameResponse>('ListHostedZonesByName', {});
    expect(names(out.HostedZones)).toEqual(ORDERED);
    expect(out.IsTruncated).toBe(false);
    expect(out.MaxItems).toBe(100);
  });

  it('starts at DNSName and pages with NextDNSName and NextHostedZoneId', () => {
    const aws = withZones();
    const first = aws.call<ListHostedZonesByNameResponse>('ListHostedZonesByName', {
      DNSName: 'example.com',
      MaxItems: 2,
    });
    expect(names(first.HostedZones)).toEqual(['example.com.', 'b.example.com.']);
    expect(first.DNSName).toBe('example.com');
    expect(first.IsTruncated).toBe(true);
    expect(first.NextDNSName).toBe('www.example.com.');
    const seen = names(first.HostedZones);
    let page = first;
    while (page.IsTruncated) {
      page = aws.call<ListHostedZonesByNameResponse>('ListHostedZonesByName', {
        DNSName: page.NextDNSName,
        HostedZoneId: page.NextHostedZoneId,
        MaxItems: 2,
      });
      seen.push(...names(page.HostedZones));
    }
    expect(seen).toEqual(ORDERED.slice(1));
    expect(page.NextDNSName).toBeUndefined();
  });

  it('pages between zones of the same name by their id', () => {
    const aws = account();
    const ids = [aws.zone('shared.example.com', VPC_A), aws.zone('shared.example.com', VPC_B)]
      .map((id) => id.replace('/hostedzone/', ''))
      .sort();
    const first = aws.call<ListHostedZonesByNameResponse>('ListHostedZonesByName', {
      DNSName: 'shared.example.com',
      MaxItems: 1,
    });
    expect(first.HostedZones?.[0]?.Id).toBe(`/hostedzone/${ids[0]}`);
    expect(first.NextHostedZoneId).toBe(ids[1]);
    const second = aws.call<ListHostedZonesByNameResponse>('ListHostedZonesByName', {
      DNSName: first.NextDNSName,
      HostedZoneId: first.NextHostedZoneId,
      MaxItems: 1,
    });
    expect(second.HostedZones?.[0]?.Id).toBe(`/hostedzone/${ids[1]}`);
    expect(second.HostedZoneId).toBe(ids[1]);
    expect(second.IsTruncated).toBe(false);
  });

  it('requires DNSName when HostedZoneId is given', () => {
    account().fails('ListHostedZonesByName', { HostedZoneId: 'Z123' }, 'InvalidInput', 400);
  });
});

describe('ListHostedZones', () => {
  it('pages with Marker and NextMarker through every zone exactly once', () => {
    const aws = account();
    const created = ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'].map((n) =>
      aws.zone(n),
    );
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = aws.call<ListHostedZonesResponse>('ListHostedZones', { Marker: marker, MaxItems: 2 });
      expect(page.HostedZones?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.HostedZones ?? []).map((z) => z.Id as string));
      marker = page.IsTruncated ? page.NextMarker : undefined;
      pages++;
    } while (marker);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...created].sort());
  });

  it('filters private zones with HostedZoneType', () => {
    const aws = account();
    aws.call('CreateHostedZone', { Name: 'public.example.com', CallerReference: 'p' });
    aws.zone('private.example.com');
    const out = aws.call<ListHostedZonesResponse>('ListHostedZones', { HostedZoneType: 'PrivateHostedZone' });
    expect(names(out.HostedZones)).toEqual(['private.example.com.']);
    expect(aws.call<ListHostedZonesResponse>('ListHostedZones', {}).HostedZones).toHaveLength(2);
  });
});

describe('AssociateVPCWithHostedZone and DisassociateVPCFromHostedZone', () => {
  it('associates another VPC, then disassociates it', () => {
    const aws = account();
    const id = aws.zone('orders.example.com');
    const out = aws.call<{ ChangeInfo: ChangeInfo }>('AssociateVPCWithHostedZone', {
      HostedZoneId: id,
      VPC: VPC_B,
      Comment: 'second VPC',
    });
    expect(out.ChangeInfo.Status).toBe('PENDING');
    expect(out.ChangeInfo.Comment).toBe('second VPC');
    expect(aws.call<GetHostedZoneResponse>('GetHostedZone', { Id: id }).VPCs).toEqual([VPC_A, VPC_B]);

    aws.call('DisassociateVPCFromHostedZone', { HostedZoneId: id, VPC: VPC_A });
    expect(aws.call<GetHostedZoneResponse>('GetHostedZone', { Id: id }).VPCs).toEqual([VPC_B]);
  });

  it('answers an existing association with ConflictingDomainExists', () => {
    const aws = account();
    const id = aws.zone('orders.example.com');
    const error = aws.fails(
      'AssociateVPCWithHostedZone',
      { HostedZoneId: id, VPC: VPC_A },
      'ConflictingDomainExists',
      400,
    );
    expect(error.message).toContain('has already been associated with the hosted zone');
  });

  it('refuses a VPC that another zone of the same name already serves', () => {
    const aws = account();
    aws.zone('orders.example.com', VPC_A);
    const other = aws.zone('orders.example.com', VPC_B);
    aws.fails('AssociateVPCWithHostedZone', { HostedZoneId: other, VPC: VPC_A }, 'ConflictingDomainExists', 400);
  });

  it('refuses public zones, unknown zones, a VPC not associated and the last VPC', () => {
    const aws = account();
    const pub = aws.call<CreateHostedZoneResponse>('CreateHostedZone', { Name: 'example.com', CallerReference: 'p' });
    aws.fails(
      'AssociateVPCWithHostedZone',
      { HostedZoneId: pub.HostedZone?.Id, VPC: VPC_A },
      'PublicZoneVPCAssociation',
      400,
    );
    aws.fails('AssociateVPCWithHostedZone', { HostedZoneId: 'ZMISSING00000', VPC: VPC_A }, 'NoSuchHostedZone', 404);
    aws.fails('DisassociateVPCFromHostedZone', { HostedZoneId: 'ZMISSING00000', VPC: VPC_A }, 'NoSuchHostedZone', 404);
    const id = aws.zone('orders.example.com', VPC_A);
    aws.fails('DisassociateVPCFromHostedZone', { HostedZoneId: id, VPC: VPC_B }, 'VPCAssociationNotFound', 404);
    aws.fails('DisassociateVPCFromHostedZone', { HostedZoneId: id, VPC: VPC_A }, 'LastVPCAssociation', 400);
    expect(aws.call<GetHostedZoneResponse>('GetHostedZone', { Id: id }).VPCs).toEqual([VPC_A]);
  });
});

describe('tags', () => {
  it('adds, overwrites and removes tags, and lists them for one or several zones', () => {
    const aws = account();
    const a = aws.zone('a.example.com').replace('/hostedzone/', '');
    const b = aws.zone('b.example.com').replace('/hostedzone/', '');
    aws.call('ChangeTagsForResource', {
      ResourceType: 'hostedzone',
      ResourceId: a,
      AddTags: [
        { Key: 'privatelink:request-id', Value: 'req-1' },
        { Key: 'team', Value: 'payments' },
      ],
    });
    aws.call('ChangeTagsForResource', {
      ResourceType: 'hostedzone',
      ResourceId: `/hostedzone/${a}`,
      AddTags: [{ Key: 'team', Value: 'orders' }],
      RemoveTagKeys: ['privatelink:request-id'],
    });
    const one = aws.call<ListTagsForResourceResponse>('ListTagsForResource', {
      ResourceType: 'hostedzone',
      ResourceId: a,
    });
    expect(one.ResourceTagSet).toEqual({
      ResourceType: 'hostedzone',
      ResourceId: a,
      Tags: [{ Key: 'team', Value: 'orders' }],
    });

    const many = aws.call<ListTagsForResourcesResponse>('ListTagsForResources', {
      ResourceType: 'hostedzone',
      ResourceIds: [b, a],
    });
    expect(many.ResourceTagSets?.map((s) => [s.ResourceId, s.Tags?.length])).toEqual([
      [b, 0],
      [a, 1],
    ]);
  });

  it('refuses more than 10 ids, unknown zones and health checks', () => {
    const aws = account();
    const a = aws.zone('a.example.com').replace('/hostedzone/', '');
    const ids = Array.from({ length: 11 }, () => a);
    aws.fails('ListTagsForResources', { ResourceType: 'hostedzone', ResourceIds: ids }, 'InvalidInput', 400);
    aws.fails(
      'ListTagsForResource',
      { ResourceType: 'hostedzone', ResourceId: 'ZNONE000000000' },
      'NoSuchHostedZone',
      404,
    );
    aws.fails(
      'ChangeTagsForResource',
      { ResourceType: 'hostedzone', ResourceId: 'ZNONE000000000', AddTags: [{ Key: 'k', Value: 'v' }] },
      'NoSuchHostedZone',
      404,
    );
    aws.fails('ListTagsForResource', { ResourceType: 'healthcheck', ResourceId: 'abc' }, 'NoSuchHealthCheck', 404);
  });
});

describe('ChangeResourceRecordSets', () => {
  it('creates, upserts and deletes record sets and returns a PENDING change with the comment', () => {
    const aws = account();
    const id = aws.zone('example.com');
    const info = aws.change(id, [rr('CREATE', 'Orders.Example.com', 'A', ['10.0.1.15', '10.0.2.20'])], 'add orders');
    expect(info).toEqual({
      Id: expect.stringMatching(/^\/change\/C[0-9A-Z]+$/),
      Status: 'PENDING',
      SubmittedAt: new Date(aws.now()),
      Comment: 'add orders',
    });
    expect(aws.records(id)[2]).toEqual({
      Name: 'orders.example.com.',
      Type: 'A',
      TTL: 60,
      ResourceRecords: [{ Value: '10.0.1.15' }, { Value: '10.0.2.20' }],
    });

    aws.change(id, [rr('UPSERT', 'orders.example.com.', 'A', ['10.0.3.30'], 300)]);
    expect(aws.records(id)[2]).toMatchObject({ TTL: 300, ResourceRecords: [{ Value: '10.0.3.30' }] });

    aws.change(id, [rr('DELETE', 'orders.example.com', 'A', ['10.0.3.30'], 300)]);
    expect(summary(aws.records(id))).toEqual(['example.com. NS', 'example.com. SOA']);
  });

  it('stores alias records without a TTL and shows the target with a trailing dot', () => {
    const aws = account();
    const id = aws.zone('example.com');
    const target = 'vpce-0123-abcd.vpce-svc-0123.us-east-1.vpce.amazonaws.com';
    aws.change(id, [
      {
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'db.example.com',
          Type: 'A',
          AliasTarget: { HostedZoneId: 'Z7HUB22UULQXV', DNSName: target, EvaluateTargetHealth: false },
        },
      },
    ]);
    expect(aws.records(id)[2]).toEqual({
      Name: 'db.example.com.',
      Type: 'A',
      AliasTarget: { HostedZoneId: 'Z7HUB22UULQXV', DNSName: `${target}.`, EvaluateTargetHealth: false },
    });
  });

  it('refuses to create a set that exists, naming it as Route 53 does', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.change(id, [rr('CREATE', 'x.example.com', 'A', ['10.0.0.1'])]);
    aws.advance(1000);
    const error = aws.fails(
      'ChangeResourceRecordSets',
      { HostedZoneId: id, ChangeBatch: { Changes: [rr('CREATE', 'x.example.com', 'A', ['10.0.0.2'])] } },
      'InvalidChangeBatch',
      400,
    );
    expect(error.message).toBe(
      "[Tried to create resource record set [name='x.example.com.', type='A'] but it already exists]",
    );
    expect(error.messages).toHaveLength(1);
  });

  it('refuses a DELETE that does not match the current set exactly', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.change(id, [rr('CREATE', 'x.example.com', 'A', ['10.0.0.1'], 60)]);
    const attempt = (change: Change) => {
      aws.advance(1000);
      return aws.fails(
        'ChangeResourceRecordSets',
        { HostedZoneId: id, ChangeBatch: { Changes: [change] } },
        'InvalidChangeBatch',
        400,
      ).message;
    };
    expect(attempt(rr('DELETE', 'y.example.com', 'A', ['10.0.0.1']))).toBe(
      "[Tried to delete resource record set [name='y.example.com.', type='A'] but it was not found]",
    );
    const mismatch =
      "[Tried to delete resource record set [name='x.example.com.', type='A'] but the values provided do not match the current values]";
    expect(attempt(rr('DELETE', 'x.example.com', 'A', ['10.0.0.9'], 60))).toBe(mismatch);
    expect(attempt(rr('DELETE', 'x.example.com', 'A', ['10.0.0.1'], 300))).toBe(mismatch);
    expect(summary(aws.records(id))).toContain('x.example.com. A');
  });

  it('applies a batch atomically: one bad change leaves the zone untouched and every problem is listed', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.change(id, [rr('CREATE', 'keep.example.com', 'A', ['10.0.0.1'])]);
    const before = aws.records(id);
    aws.advance(1000);
    const error = aws.fails(
      'ChangeResourceRecordSets',
      {
        HostedZoneId: id,
        ChangeBatch: {
          Changes: [
            rr('CREATE', 'new.example.com', 'A', ['10.0.0.2']),
            rr('UPSERT', 'keep.example.com', 'A', ['10.0.0.3']),
            rr('CREATE', 'keep.example.com', 'TXT', ['unquoted']),
            rr('CREATE', 'elsewhere.example.org', 'A', ['10.0.0.4']),
          ],
        },
      },
      'InvalidChangeBatch',
      400,
    );
    expect(error.messages).toEqual([
      "Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with 'unquoted''",
      'RRSet with DNS name elsewhere.example.org. is not permitted in zone example.com.',
    ]);
    expect(error.message).toBe(`[${error.messages?.join(', ')}]`);
    expect(aws.records(id)).toEqual(before);
  });

  it('applies changes in order, so DELETE then CREATE replaces a set', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.change(id, [rr('CREATE', 'x.example.com', 'A', ['10.0.0.1'])]);
    aws.change(id, [
      rr('DELETE', 'x.example.com', 'A', ['10.0.0.1']),
      rr('CREATE', 'x.example.com', 'CNAME', ['target.example.net']),
    ]);
    expect(summary(aws.records(id))).toContain('x.example.com. CNAME');
    expect(summary(aws.records(id))).not.toContain('x.example.com. A');
  });

  it('keeps a CNAME away from the apex and from other types at the same name', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.change(id, [rr('CREATE', 'x.example.com', 'A', ['10.0.0.1'])]);
    const attempt = (change: Change) => {
      aws.advance(1000);
      return aws.fails(
        'ChangeResourceRecordSets',
        { HostedZoneId: id, ChangeBatch: { Changes: [change] } },
        'InvalidChangeBatch',
        400,
      ).message;
    };
    expect(attempt(rr('CREATE', 'example.com', 'CNAME', ['target.example.net']))).toBe(
      '[RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.]',
    );
    expect(attempt(rr('CREATE', 'x.example.com', 'CNAME', ['target.example.net']))).toBe(
      '[RRSet of type CNAME with DNS name x.example.com. is not permitted as it conflicts with other records with the same DNS name in zone example.com.]',
    );
    aws.change(id, [rr('CREATE', 'y.example.com', 'CNAME', ['target.example.net'])]);
    expect(attempt(rr('CREATE', 'y.example.com', 'TXT', ['"hello"']))).toContain(
      'RRSet of type TXT with DNS name y.example.com.',
    );
  });

  it.each([
    ['A', '10.0.1.300', 'ARRDATAIllegalIPv4Address'],
    ['A', 'orders.example.com', 'ARRDATAIllegalIPv4Address'],
    ['SRV', '0 0 1024', 'SRVRRDATANotFourFields'],
    ['SRV', '0 0 70000 host.example.com', 'SRVRRDATAIllegalNumber'],
    ['TXT', 'authSource=admin', 'InvalidCharacterString'],
    ['TXT', `"${'x'.repeat(256)}"`, 'CharacterStringTooLong'],
  ])('refuses a %s record with the value %j (%s)', (type, value, problem) => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.advance(1000);
    const error = aws.fails(
      'ChangeResourceRecordSets',
      { HostedZoneId: id, ChangeBatch: { Changes: [rr('CREATE', 'r.example.com', type, [value])] } },
      'InvalidChangeBatch',
      400,
    );
    expect(error.message).toContain(problem);
  });

  it('accepts well-formed SRV and TXT records, including several 255-character strings', () => {
    const aws = account();
    const id = aws.zone('cluster0.example.com');
    const long = `"${'x'.repeat(255)}" "${'y'.repeat(255)}"`;
    aws.change(id, [
      rr('CREATE', '_mongodb._tcp.cluster0.example.com', 'SRV', [
        '0 0 1024 pl-0.example.com',
        '0 0 1025 pl-0.example.com',
      ]),
      rr('CREATE', 'cluster0.example.com', 'TXT', ['"authSource=admin&replicaSet=rs0"', long]),
    ]);
    expect(summary(aws.records(id))).toEqual([
      'cluster0.example.com. NS',
      'cluster0.example.com. SOA',
      'cluster0.example.com. TXT',
      '_mongodb._tcp.cluster0.example.com. SRV',
    ]);
  });

  it('refuses an alias that also has a TTL, with InvalidInput, applying nothing', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.advance(1000);
    aws.fails(
      'ChangeResourceRecordSets',
      {
        HostedZoneId: id,
        ChangeBatch: {
          Changes: [
            rr('CREATE', 'ok.example.com', 'A', ['10.0.0.1']),
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: 'db.example.com',
                Type: 'A',
                TTL: 60,
                AliasTarget: { HostedZoneId: 'Z7HUB22UULQXV', DNSName: 'x.example.net', EvaluateTargetHealth: false },
              },
            },
          ],
        },
      },
      'InvalidInput',
      400,
    );
    expect(aws.records(id)).toHaveLength(2);
  });

  it('refuses to delete the apex SOA and NS', () => {
    const aws = account();
    const id = aws.zone('example.com');
    const [ns, soa] = aws.records(id);
    for (const set of [ns, soa]) {
      aws.advance(1000);
      const error = aws.fails(
        'ChangeResourceRecordSets',
        { HostedZoneId: id, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: set }] } },
        'InvalidChangeBatch',
        400,
      );
      expect(error.message).toMatch(/A HostedZone must contain (exactly one SOA|at least one NS)/);
    }
    expect(aws.records(id)).toHaveLength(2);
  });

  it('answers an unknown zone with NoSuchHostedZone and an unknown action with InvalidInput', () => {
    const aws = account();
    aws.fails(
      'ChangeResourceRecordSets',
      {
        HostedZoneId: '/hostedzone/ZMISSING000000',
        ChangeBatch: { Changes: [rr('CREATE', 'a.example.com', 'A', ['10.0.0.1'])] },
      },
      'NoSuchHostedZone',
      404,
    );
    const id = aws.zone('example.com');
    aws.advance(1000);
    aws.fails(
      'ChangeResourceRecordSets',
      {
        HostedZoneId: id,
        ChangeBatch: { Changes: [{ ...rr('CREATE', 'a.example.com', 'A', ['10.0.0.1']), Action: 'MERGE' }] },
      },
      'InvalidInput',
      400,
    );
  });
});

describe('ListResourceRecordSets', () => {
  function populated() {
    const aws = account();
    const id = aws.zone('example.com');
    aws.change(id, [
      rr('CREATE', 'www.example.com', 'A', ['10.0.0.1']),
      rr('CREATE', '_mongodb._tcp.cluster.example.com', 'SRV', ['0 0 1024 pl.example.com']),
      rr('CREATE', 'cluster.example.com', 'TXT', ['"replicaSet=rs0"']),
      rr('CREATE', 'A.example.com', 'A', ['10.0.0.2']),
      rr('CREATE', '*.example.com', 'A', ['10.0.0.3']),
      rr('CREATE', 'example.com', 'TXT', ['"v=spf1 -all"']),
      rr('CREATE', 'www.example.com', 'TXT', ['"site"']),
    ]);
    return { aws, id };
  }

  // Reversed labels, then type; `*` comes back as Route 53's octal escape.
  const ORDERED = [
    'example.com. NS',
    'example.com. SOA',
    'example.com. TXT',
    '\\052.example.com. A',
    'a.example.com. A',
    'cluster.example.com. TXT',
    '_mongodb._tcp.cluster.example.com. SRV',
    'www.example.com. A',
    'www.example.com. TXT',
  ];

  it('sorts by name with the labels reversed, then by type, with names lowercased', () => {
    const { aws, id } = populated();
    expect(summary(aws.records(id))).toEqual(ORDERED);
  });

  it('pages with NextRecordName and NextRecordType', () => {
    const { aws, id } = populated();
    const seen: string[] = [];
    let start: { StartRecordName?: string; StartRecordType?: string } = {};
    for (;;) {
      const page = aws.call<ListResourceRecordSetsResponse>('ListResourceRecordSets', {
        HostedZoneId: id,
        MaxItems: 2,
        ...start,
      });
      expect(page.MaxItems).toBe(2);
      seen.push(...summary(page.ResourceRecordSets ?? []));
      if (!page.IsTruncated) break;
      start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType };
    }
    expect(seen).toEqual(ORDERED);
    const fromWww = aws.call<ListResourceRecordSetsResponse>('ListResourceRecordSets', {
      HostedZoneId: id,
      StartRecordName: 'WWW.example.com',
      StartRecordType: 'TXT',
    });
    expect(summary(fromWww.ResourceRecordSets ?? [])).toEqual(['www.example.com. TXT']);
  });

  it('requires StartRecordName with StartRecordType, and a known zone', () => {
    const { aws, id } = populated();
    aws.fails('ListResourceRecordSets', { HostedZoneId: id, StartRecordType: 'A' }, 'InvalidInput', 400);
    aws.fails('ListResourceRecordSets', { HostedZoneId: 'ZMISSING000000' }, 'NoSuchHostedZone', 404);
  });
});

describe('GetChange', () => {
  it('is PENDING until dnsChangeInsyncAfterSeconds after submission, then INSYNC', () => {
    const aws = account({ ...DEFAULT_TIMING, dnsChangeInsyncAfterSeconds: 30 });
    const id = aws.zone('example.com');
    const info = aws.change(id, [rr('CREATE', 'x.example.com', 'A', ['10.0.0.1'])]);
    const submitted = (info.SubmittedAt as Date).getTime();
    const status = (changeId: string) =>
      (aws.sim.handle('GetChange', { Id: changeId }) as { ChangeInfo: ChangeInfo }).ChangeInfo.Status;

    aws.advance(submitted + 29_999 - aws.now());
    expect(status(info.Id as string)).toBe('PENDING');
    aws.advance(1);
    expect(status((info.Id as string).replace('/change/', ''))).toBe('INSYNC');
  });

  it('follows the configured delay, also for CreateHostedZone changes', () => {
    const aws = account({ ...DEFAULT_TIMING, dnsChangeInsyncAfterSeconds: 5 });
    const out = aws.call<CreateHostedZoneResponse>('CreateHostedZone', {
      Name: 'example.com',
      CallerReference: 'r',
      VPC: VPC_A,
    });
    aws.advance(4000);
    expect(aws.call<{ ChangeInfo: ChangeInfo }>('GetChange', { Id: out.ChangeInfo?.Id }).ChangeInfo.Status).toBe(
      'PENDING',
    );
    aws.advance(1000);
    const later = aws.call<{ ChangeInfo: ChangeInfo }>('GetChange', { Id: out.ChangeInfo?.Id }).ChangeInfo;
    expect(later).toEqual({ Id: out.ChangeInfo?.Id, Status: 'INSYNC', SubmittedAt: out.ChangeInfo?.SubmittedAt });
  });

  it('answers an unknown change with NoSuchChange (404)', () => {
    account().fails('GetChange', { Id: '/change/CNOTACHANGE000' }, 'NoSuchChange', 404);
  });
});

describe('DeleteHostedZone', () => {
  it('refuses a zone that holds more than its SOA and NS', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.change(id, [rr('CREATE', 'x.example.com', 'A', ['10.0.0.1'])]);
    const error = aws.fails('DeleteHostedZone', { Id: id }, 'HostedZoneNotEmpty', 400);
    expect(error.message).toContain('non-required resource record sets');
    expect(aws.call<GetHostedZoneResponse>('GetHostedZone', { Id: id }).HostedZone?.Id).toBe(id);
  });

  it('deletes an empty zone everywhere, and never takes its CallerReference again', () => {
    const aws = account();
    const keep = aws.zone('keep.example.com');
    const id = aws.zone('gone.example.com', VPC_A, 'ref-gone');
    aws.change(id, [rr('CREATE', 'x.gone.example.com', 'A', ['10.0.0.1'])]);
    aws.change(id, [rr('DELETE', 'x.gone.example.com', 'A', ['10.0.0.1'])]);

    const out = aws.call<{ ChangeInfo: ChangeInfo }>('DeleteHostedZone', { Id: id });
    expect(out.ChangeInfo.Status).toBe('PENDING');
    aws.fails('GetHostedZone', { Id: id }, 'NoSuchHostedZone', 404);
    aws.fails('DeleteHostedZone', { Id: id }, 'NoSuchHostedZone', 404);
    expect(aws.call<ListHostedZonesResponse>('ListHostedZones', {}).HostedZones?.map((z) => z.Id)).toEqual([keep]);
    expect(names(aws.call<ListHostedZonesByNameResponse>('ListHostedZonesByName', {}).HostedZones)).toEqual([
      'keep.example.com.',
    ]);
    expect(aws.sim.inventory().map((z) => z.name)).toEqual(['keep.example.com']);
    aws.fails(
      'CreateHostedZone',
      { Name: 'gone.example.com', CallerReference: 'ref-gone', VPC: VPC_A, HostedZoneConfig: { PrivateZone: true } },
      'HostedZoneAlreadyExists',
      409,
    );
    expect(aws.zone('gone.example.com', VPC_A, 'ref-gone-2')).not.toBe(id);
  });
});

describe('request-rate limits', () => {
  it('allows five requests at once, throttles the sixth, and refills five per second', () => {
    const aws = account();
    aws.advance(10_000);
    for (let i = 0; i < 5; i++) aws.sim.handle('ListHostedZones', {});
    let error: AwsError | undefined;
    try {
      aws.sim.handle('CreateHostedZone', { Name: 'late.example.com', CallerReference: 'late', VPC: VPC_A });
    } catch (e) {
      error = e as AwsError;
    }
    expect(error?.name).toBe('Throttling');
    expect(error?.message).toBe('Rate exceeded');
    expect(error?.$metadata.httpStatusCode).toBe(400);
    expect(aws.sim.inventory()).toEqual([]);

    aws.advance(200);
    aws.sim.handle('ListHostedZones', {});
    expect(() => aws.sim.handle('ListHostedZones', {})).toThrow('Rate exceeded');
  });

  it('never throttles calls 250 ms apart', () => {
    const aws = account();
    for (let i = 0; i < 50; i++) aws.call('ListHostedZones', {});
  });

  it('answers a second change to a zone within 200 ms with PriorRequestNotComplete', () => {
    const aws = account();
    const a = aws.zone('a.example.com');
    const b = aws.zone('b.example.com');
    aws.change(a, [rr('CREATE', 'x.a.example.com', 'A', ['10.0.0.1'])]);
    const second = (zone: string) =>
      aws.sim.handle('ChangeResourceRecordSets', {
        HostedZoneId: zone,
        ChangeBatch: { Changes: [rr('CREATE', `y.${zone === a ? 'a' : 'b'}.example.com`, 'A', ['10.0.0.2'])] },
      });
    aws.advance(100);
    const error = thrown(() => second(a), 'PriorRequestNotComplete', 400);
    expect(error.message).toContain('prior request');
    second(b); // another zone is not held up
    aws.advance(100);
    second(a);
    expect(summary(aws.records(a))).toContain('y.a.example.com. A');
  });

  it('does not count a rejected batch as a prior request', () => {
    const aws = account();
    const a = aws.zone('a.example.com');
    aws.advance(1000);
    aws.fails(
      'ChangeResourceRecordSets',
      { HostedZoneId: a, ChangeBatch: { Changes: [rr('DELETE', 'x.a.example.com', 'A', ['10.0.0.1'])] } },
      'InvalidChangeBatch',
      400,
    );
    aws.sim.handle('ChangeResourceRecordSets', {
      HostedZoneId: a,
      ChangeBatch: { Changes: [rr('CREATE', 'x.a.example.com', 'A', ['10.0.0.1'])] },
    });
  });
});

describe('state and inventory', () => {
  it('continues after a JSON round trip of the state', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.call('ChangeTagsForResource', {
      ResourceType: 'hostedzone',
      ResourceId: id.replace('/hostedzone/', ''),
      AddTags: [{ Key: 'team', Value: 'payments' }],
    });
    const info = aws.change(id, [rr('CREATE', 'x.example.com', 'A', ['10.0.0.1'])], 'before');
    const records = aws.records(id);

    aws.reload();
    expect(aws.records(id)).toEqual(records);
    const change = aws.call<{ ChangeInfo: ChangeInfo }>('GetChange', { Id: info.Id }).ChangeInfo;
    expect(change.SubmittedAt).toBeInstanceOf(Date);
    expect(change).toMatchObject({ Id: info.Id, SubmittedAt: info.SubmittedAt, Comment: 'before' });
    expect(
      aws.call<ListTagsForResourceResponse>('ListTagsForResource', {
        ResourceType: 'hostedzone',
        ResourceId: id.replace('/hostedzone/', ''),
      }).ResourceTagSet?.Tags,
    ).toEqual([{ Key: 'team', Value: 'payments' }]);
    aws.fails(
      'CreateHostedZone',
      { Name: 'other.example.com', CallerReference: 'ref-example.com-vpc-0a1b2c3d4e5f67890', VPC: VPC_B },
      'HostedZoneAlreadyExists',
      409,
    );
    aws.change(id, [rr('DELETE', 'x.example.com', 'A', ['10.0.0.1'])]);
    aws.call('DeleteHostedZone', { Id: id });
    expect(aws.sim.inventory()).toEqual([]);
  });

  it('keeps the rate limit across a JSON round trip', () => {
    const aws = account();
    aws.advance(10_000);
    for (let i = 0; i < 5; i++) aws.sim.handle('ListHostedZones', {});
    aws.reload();
    expect(() => aws.sim.handle('ListHostedZones', {})).toThrow('Rate exceeded');
  });

  it('lists zones and records without trailing dots, aliases by their target', () => {
    const aws = account();
    const id = aws.zone('example.com');
    aws.change(id, [
      rr('CREATE', 'www.example.com', 'A', ['10.0.0.1']),
      {
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'db.example.com',
          Type: 'A',
          AliasTarget: {
            HostedZoneId: 'Z7HUB22UULQXV',
            DNSName: 'vpce-1.vpce.amazonaws.com',
            EvaluateTargetHealth: false,
          },
        },
      },
    ]);
    const [zone] = aws.sim.inventory();
    expect(zone?.hostedZoneId).toBe(id.replace('/hostedzone/', ''));
    expect(zone?.name).toBe('example.com');
    expect(zone?.records.slice(2)).toEqual([
      { name: 'db.example.com', type: 'A', values: ['vpce-1.vpce.amazonaws.com'], alias: true },
      { name: 'www.example.com', type: 'A', values: ['10.0.0.1'] },
    ]);
    // private, and which VPCs it answers in (what `privatelink resolve` needs)
    expect(zone).toMatchObject({
      privateZone: true,
      vpcs: [expect.objectContaining({ vpcId: expect.stringMatching(/^vpc-/) })],
    });
  });

  it('answers operations it does not simulate with UnsupportedOperation', () => {
    account().fails('CreateHealthCheck', {}, 'UnsupportedOperation', 400);
  });
});
