// The request schema against CONTRACT.md: every example parses, and every invalid form of every field
// is refused with an issue at that field's path, which is what the HTTP 400 body and the CLI print.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_REGIONS } from '../../src/core/domain/regions.ts';
import {
  EndpointId,
  MAX_TARGET_PORTS,
  MAX_USER_TAGS,
  parseProvisionRequest,
  requireProvisionRequest,
} from '../../src/core/domain/request.ts';
import { RequestValidationError } from '../../src/core/errors.ts';

const EXAMPLES = new URL('../../examples/', import.meta.url);
const example = (file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8'));

const replicaSet = example('atlas-replica-set.json');
const serverless = example('atlas-serverless.json');
const pinecone = example('pinecone-index.json');
const orders = example('orders-nlb-tcp.json');

const REMOVE = Symbol('remove');
/** An https target behind a service named directly: the host rules without Pinecone's own. */
const https = withValue(pinecone, 'service', {
  serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a0b0c0d0e0f01234',
});

/** A deep copy of `raw` with the value at a dotted path replaced (or removed). */
function withValue(raw: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(raw) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node = copy;
  for (const key of keys) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

function withValues(raw: unknown, changes: Record<string, unknown>): Record<string, unknown> {
  return Object.entries(changes).reduce((acc: unknown, [path, value]) => withValue(acc, path, value), raw) as Record<
    string,
    unknown
  >;
}

function issuesOf(raw: unknown) {
  const result = parseProvisionRequest(raw);
  return result.ok ? [] : result.issues;
}

function expectAccepted(raw: unknown) {
  const result = parseProvisionRequest(raw);
  // Comparing the issues (not just ok) prints them when this fails.
  expect(result.ok ? [] : result.issues).toEqual([]);
  if (!result.ok) throw new Error('unreachable');
  return result.request;
}

function expectRefusedAt(raw: unknown, path: string) {
  const issues = issuesOf(raw);
  expect(issues.map((i) => i.path)).toContain(path);
  return issues;
}

const hex8 = '0a1b2c3d';
// differs from every id in the examples, so replacing one never makes a duplicate
const hex17 = '9f8e7d6c5b4a39281';

describe('examples', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json') && !f.includes('seed'));

  it('ships the four documented request examples', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'atlas-replica-set.json',
        'atlas-serverless.json',
        'pinecone-index.json',
        'orders-nlb-tcp.json',
      ]),
    );
  });

  it.each(files)('%s is a valid request', (file) => {
    expectAccepted(example(file));
  });

  it('keeps the values the examples promise and fills the defaults', () => {
    const request = expectAccepted(replicaSet);
    expect(request.requestId).toBe('cluster0-app-prod');
    expect(request.target).toEqual({
      kind: 'mongodb',
      host: 'pl-0-us-east-1-k45tj.mongodb.net',
      ports: [1024, 1025, 1026],
      srvHost: 'cluster0-pl-0-k45tj.mongodb.net',
      replicaSet: 'Cluster0-shard-0',
      authSource: 'admin',
    });
    expect(request.tags).toEqual({ team: 'payments' });

    const tcp = expectAccepted(withValue(orders, 'service.create', { networkLoadBalancerArns: [nlbArn()] }));
    // acceptanceRequired defaults to true: nobody connects to our service unasked.
    expect(tcp.service).toEqual({
      create: { networkLoadBalancerArns: [nlbArn()], acceptanceRequired: true, allowedPrincipals: [] },
    });
    // No dns: the plan decides (A records; ALIAS for Pinecone's wildcard).
    expect(expectAccepted(withValue(pinecone, 'dns', REMOVE)).dns).toEqual({});
    expect(expectAccepted(withValue(pinecone, 'consumer.allowFrom', REMOVE)).consumer).toMatchObject({ allowFrom: [] });
    expect(expectAccepted(withValue(pinecone, 'tags', REMOVE)).tags).toEqual({});
  });
});

function nlbArn(region = 'us-east-1', partition = 'aws') {
  return `arn:${partition}:elasticloadbalancing:${region}:111122223333:loadbalancer/net/orders/0123456789abcdef`;
}

describe('AWS resource ids', () => {
  const fields = [
    ['consumer.vpcId', 'vpc'],
    ['consumer.subnetIds.1', 'subnet'],
    ['consumer.securityGroupIds.0', 'sg'],
    ['consumer.allowFrom.0', 'sg'],
  ] as const;

  it.each(fields)('%s takes 8 or 17 hex characters', (path, prefix) => {
    expectAccepted(withValue(replicaSet, path, `${prefix}-${hex8}`));
    expectAccepted(withValue(replicaSet, path, `${prefix}-${hex17}`));
  });

  const badSuffixes = [
    '0a1b2c3', // 7
    '0a1b2c3d4', // 9
    '0a1b2c3d4e5f6789', // 16
    '0a1b2c3d4e5f678901', // 18
    '0A1B2C3D', // AWS ids are lowercase
    '0a1b2c3g', // not hex
    '',
  ];
  it.each(fields.flatMap(([path, prefix]) => badSuffixes.map((s) => [path, `${prefix}-${s}`] as const)))(
    '%s refuses %j',
    (path, value) => {
      expectRefusedAt(withValue(replicaSet, path, value), path);
    },
  );

  it.each(fields)('%s refuses a wrong prefix, padding and non-strings', (path, prefix) => {
    const other = prefix === 'sg' ? 'subnet' : 'sg';
    for (const value of [`${other}-${hex17}`, ` ${prefix}-${hex17}`, `${prefix}-${hex17} `, hex17, 17, null])
      expectRefusedAt(withValue(replicaSet, path, value), path);
  });

  it('endpoint ids (finalize) follow the same rule, and a service id is not an endpoint id', () => {
    expect(EndpointId.safeParse(`vpce-${hex8}`).success).toBe(true);
    expect(EndpointId.safeParse(`vpce-${hex17}`).success).toBe(true);
    expect(EndpointId.safeParse(`vpce-svc-${hex17}`).success).toBe(false);
    expect(EndpointId.safeParse(`vpce-${hex17}0`).success).toBe(false);
  });

  it('service names take 8 or 17 hex characters', () => {
    expectAccepted(withValue(replicaSet, 'service.serviceName', `com.amazonaws.vpce.us-east-1.vpce-svc-${hex8}`));
    for (const id of ['0a1b2c3d4e5f6789', '0A1B2C3D', 'xyz'])
      expectRefusedAt(
        withValue(replicaSet, 'service.serviceName', `com.amazonaws.vpce.us-east-1.vpce-svc-${id}`),
        'service.serviceName',
      );
    for (const name of ['com.amazonaws.us-east-1.s3', 'vpce-svc-0123456789abcdef0', ''])
      expectRefusedAt(withValue(replicaSet, 'service.serviceName', name), 'service.serviceName');
  });

  it('account ids of an external consumer have 12 digits', () => {
    const external = (accountId: unknown) => withValue(pinecone, 'consumer', { external: { accountId } });
    expectAccepted(external('444455556666'));
    for (const id of ['44445555666', '4444555566667', '4444-5555-666', 444455556666])
      expectRefusedAt(external(id), 'consumer.external.accountId');
  });

  it('lists no id twice, naming the repeated entry', () => {
    const [first] = replicaSet.consumer ? (replicaSet.consumer as { subnetIds: string[] }).subnetIds : [];
    expectRefusedAt(withValue(replicaSet, 'consumer.subnetIds.1', first), 'consumer.subnetIds.1');
    expectRefusedAt(
      withValue(replicaSet, 'consumer.securityGroupIds', ['sg-0fedcba9876543210', 'sg-0fedcba9876543210']),
      'consumer.securityGroupIds.1',
    );
    expectRefusedAt(
      withValue(orders, 'service.create.networkLoadBalancerArns', [nlbArn(), nlbArn()]),
      'service.create.networkLoadBalancerArns.1',
    );
  });

  it('needs at least one subnet and one security group, within the AWS limits', () => {
    expectRefusedAt(withValue(replicaSet, 'consumer.subnetIds', []), 'consumer.subnetIds');
    expectRefusedAt(withValue(replicaSet, 'consumer.securityGroupIds', []), 'consumer.securityGroupIds');
    const groups = Array.from({ length: 6 }, (_, i) => `sg-${hex8.slice(0, 7)}${i}`);
    expectRefusedAt(withValue(replicaSet, 'consumer.securityGroupIds', groups), 'consumer.securityGroupIds');
    expectAccepted(withValue(replicaSet, 'consumer.securityGroupIds', groups.slice(0, 5)));
  });
});

describe('regions', () => {
  const serviceIn = (region: string) =>
    `${region.startsWith('cn-') ? 'cn.' : ''}com.amazonaws.vpce.${region}.vpce-svc-0123456789abcdef0`;

  it.each(AWS_REGIONS)('%s is accepted with a service in that region', (region) => {
    expectAccepted(withValues(replicaSet, { region, 'service.serviceName': serviceIn(region) }));
  });

  it.each(['us-east-9', 'US-EAST-1', 'useast1', 'us-east-1 ', 'us-east-1a', 'eu-west', 'moon-base-1', '', 1])(
    'refuses %j',
    (region) => {
      expectRefusedAt(withValue(replicaSet, 'region', region), 'region');
    },
  );

  it('refuses an endpoint service in another region than the request', () => {
    expectRefusedAt(withValue(replicaSet, 'service.serviceName', serviceIn('eu-west-1')), 'service.serviceName');
  });

  it('writes China service names with their cn. prefix, and only there', () => {
    // cn.com.amazonaws.vpce.cn-northwest-1.vpce-svc-… is how PrivateLink names services in China.
    expectAccepted(
      withValues(replicaSet, { region: 'cn-northwest-1', 'service.serviceName': serviceIn('cn-northwest-1') }),
    );
    expectRefusedAt(
      withValues(replicaSet, {
        region: 'cn-north-1',
        'service.serviceName': 'com.amazonaws.vpce.cn-north-1.vpce-svc-0123456789abcdef0',
      }),
      'service.serviceName',
    );
    expectRefusedAt(
      withValue(replicaSet, 'service.serviceName', 'cn.com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0'),
      'service.serviceName',
    );
  });

  it('refuses a load balancer in another region or partition', () => {
    const arns = (arn: string) => withValue(orders, 'service.create.networkLoadBalancerArns', [arn]);
    expectRefusedAt(arns(nlbArn('us-west-2')), 'service.create.networkLoadBalancerArns.0');
    expectAccepted(withValue(arns(nlbArn('us-gov-west-1', 'aws-us-gov')), 'region', 'us-gov-west-1'));
    expectRefusedAt(
      withValue(arns(nlbArn('us-gov-west-1', 'aws')), 'region', 'us-gov-west-1'),
      'service.create.networkLoadBalancerArns.0',
    );
    expectRefusedAt(
      withValue(arns(nlbArn('us-east-1', 'aws-cn')), 'region', 'us-east-1'),
      'service.create.networkLoadBalancerArns.0',
    );
  });

  it('refuses ARNs that are not network load balancers or IAM principals', () => {
    const alb = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/orders/0123456789abcdef';
    expectRefusedAt(
      withValue(orders, 'service.create.networkLoadBalancerArns', [alb]),
      'service.create.networkLoadBalancerArns.0',
    );
    expectRefusedAt(
      withValue(orders, 'service.create.networkLoadBalancerArns', []),
      'service.create.networkLoadBalancerArns',
    );
    expectRefusedAt(
      withValue(orders, 'service.create.allowedPrincipals', ['111122223333']),
      'service.create.allowedPrincipals.0',
    );
    expectAccepted(
      withValue(orders, 'service.create.allowedPrincipals', ['arn:aws:iam::444455556666:role/app-role', '*']),
    );
    expectRefusedAt(withValue(orders, 'service.create.acceptanceRequired', 'yes'), 'service.create.acceptanceRequired');
  });
});

describe('DNS names', () => {
  const label = (c: string, n: number) => c.repeat(n);
  // 63 + 63 + 63 + 57 characters of labels, 4 dots and "com": exactly 253.
  const name253 = `${label('a', 63)}.${label('b', 63)}.${label('c', 63)}.${label('d', 57)}.com`;

  it.each([
    ['a 63-character label', `${label('a', 63)}.svc.pinecone.io`],
    ['exactly 253 characters', name253],
    ['inner hyphens and digits', '1-my-index-2.svc.aped-1234-a1b2.pinecone.io'],
  ])('accepts %s', (_, host) => {
    expect(host.length).toBeLessThanOrEqual(253);
    expect(expectAccepted(withValue(https, 'target.host', host)).target?.host).toBe(host);
  });

  it('normalises uppercase and a trailing dot', () => {
    const request = expectAccepted(withValue(https, 'target.host', 'My-Index-ABC1234.svc.APED-1234-a1b2.Pinecone.IO.'));
    expect(request.target?.host).toBe('my-index-abc1234.svc.aped-1234-a1b2.pinecone.io');
  });

  it.each([
    ['a 64-character label', `${label('a', 64)}.svc.pinecone.io`],
    ['254 characters', `${label('a', 63)}.${label('b', 63)}.${label('c', 63)}.${label('d', 58)}.com`],
    ['a leading hyphen', '-my-index.svc.pinecone.io'],
    ['a trailing hyphen', 'my-index-.svc.pinecone.io'],
    ['an underscore', 'my_index.svc.pinecone.io'],
    ['an empty label', 'my-index..pinecone.io'],
    ['a leading dot', '.my-index.pinecone.io'],
    ['a single label', 'localhost'],
    ['a space', 'my index.svc.pinecone.io'],
    ['unicode', 'bücher.svc.pinecone.io'],
    ['an IPv4 address', '10.0.1.15'],
    ['a wildcard', '*.svc.pinecone.io'],
    ['a URL', 'https://my-index.svc.pinecone.io'],
    ['a port', 'my-index.svc.pinecone.io:443'],
    ['nothing', ''],
    ['a number', 42],
  ])('refuses %s', (_, host) => {
    expectRefusedAt(withValue(https, 'target.host', host), 'target.host');
  });

  it('applies the same rules to srvHost and dns.zoneName', () => {
    expectRefusedAt(withValue(replicaSet, 'target.srvHost', 'cluster0_pl.mongodb.net'), 'target.srvHost');
    expectRefusedAt(withValue(orders, 'dns.zoneName', 'internal..example.com'), 'dns.zoneName');
    const request = expectAccepted(withValue(orders, 'dns.zoneName', 'Internal.Example.com.'));
    expect(request.dns.zoneName).toBe('internal.example.com');
  });
});

describe('ports', () => {
  it.each([1, 443, 65535])('accepts %i', (port) => {
    expectAccepted(withValue(pinecone, 'target.port', port));
  });

  it.each([0, -1, 65536, 1.5, '443', null, true])('refuses %j', (port) => {
    expectRefusedAt(withValue(pinecone, 'target.port', port), 'target.port');
    expectRefusedAt(withValue(replicaSet, 'target.ports.1', port), 'target.ports.1');
  });

  it('defaults an https port to 443, and requires a tcp port', () => {
    expect(expectAccepted(withValue(pinecone, 'target.port', REMOVE)).target).toMatchObject({ port: 443 });
    expectRefusedAt(withValue(orders, 'target.port', REMOVE), 'target.port');
  });

  it(`takes 1 to ${MAX_TARGET_PORTS} unique ports`, () => {
    const ports = (n: number) => Array.from({ length: n }, (_, i) => 1024 + i);
    expectAccepted(withValue(replicaSet, 'target.ports', ports(MAX_TARGET_PORTS)));
    expectRefusedAt(withValue(replicaSet, 'target.ports', ports(MAX_TARGET_PORTS + 1)), 'target.ports');
    expectRefusedAt(withValue(replicaSet, 'target.ports', []), 'target.ports');
    expectRefusedAt(withValue(replicaSet, 'target.ports', 1024), 'target.ports');
    expectRefusedAt(withValue(replicaSet, 'target.ports', [1024, 1025, 1024]), 'target.ports.2');
  });

  it('gives a load-balanced instance exactly one port and no replica set (the driver refuses both)', () => {
    expectRefusedAt(withValue(serverless, 'target.ports', [27017, 27018]), 'target.ports');
    expectRefusedAt(withValue(serverless, 'target.replicaSet', 'rs0'), 'target.replicaSet');
    expectRefusedAt(withValue(serverless, 'target.loadBalanced', 'true'), 'target.loadBalanced');
  });
});

describe('requestId', () => {
  it.each(['a', 'A-z_0-9', 'x'.repeat(64)])('accepts %j', (requestId) => {
    expect(expectAccepted(withValue(pinecone, 'requestId', requestId)).requestId).toBe(requestId);
  });

  it.each(['', 'x'.repeat(65), 'has space', 'dot.ted', 'slash/ed', 'ünïcode', 'semi;colon', 5, null])(
    'refuses %j',
    (requestId) => {
      expectRefusedAt(withValue(pinecone, 'requestId', requestId), 'requestId');
    },
  );

  describe('the default', () => {
    const anonymous = withValue(pinecone, 'requestId', REMOVE);
    const idOf = (raw: unknown) => expectAccepted(raw).requestId;

    it('is itself a valid request id', () => {
      const id = idOf(anonymous);
      expect(id).toMatch(/^req-[0-9a-f]{16}$/);
      expectAccepted(withValue(anonymous, 'requestId', id));
    });

    it('is the same for the same body, however its keys are ordered', () => {
      const reversed = (value: unknown): unknown =>
        Array.isArray(value)
          ? value.map(reversed)
          : value && typeof value === 'object'
            ? Object.fromEntries(
                Object.entries(value)
                  .reverse()
                  .map(([k, v]) => [k, reversed(v)]),
              )
            : value;
      const shuffled = reversed(anonymous);
      expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(anonymous));
      expect(idOf(shuffled)).toBe(idOf(anonymous));
      expect(idOf(JSON.parse(JSON.stringify(anonymous)))).toBe(idOf(anonymous));
    });

    it('differs for different bodies', () => {
      const ids = new Set([
        idOf(anonymous),
        idOf(withValue(anonymous, 'target.port', 8443)),
        idOf(withValue(anonymous, 'consumer.subnetIds', ['subnet-1a2b3c4d5e6f78901', 'subnet-0a1b2c3d4e5f67890'])),
        idOf(withValue(anonymous, 'tags', { team: 'search' })),
        idOf(withValue(anonymous, 'region', 'us-east-1')), // same value: same id
      ]);
      expect(ids.size).toBe(4);
    });

    it('never replaces an explicit id', () => {
      expect(idOf(pinecone)).toBe('pinecone-my-index');
    });
  });
});

describe('MongoDB seedlist names (the driver rule)', () => {
  const mongo = (host: string, srvHost: string) =>
    withValues(replicaSet, { 'target.host': host, 'target.srvHost': srvHost, dns: { records: 'A' } });

  it.each([
    ['siblings under the same parent', 'pl-0-us-east-1-k45tj.mongodb.net', 'cluster0-pl-0-k45tj.mongodb.net'],
    ['the host deeper under the parent', 'pl-0.lb.k45tj.example.com', 'cluster0.k45tj.example.com'],
    ['the same name for both', 'cluster0.db.example.com', 'cluster0.db.example.com'],
  ])('accepts %s', (_, host, srvHost) => {
    expectAccepted(mongo(host, srvHost));
  });

  it.each([
    ['another domain', 'pl-0-us-east-1-k45tj.mongodb.net', 'cluster0.db.example.com'],
    ['a lookalike domain', 'pl-0.evilmongodb.net', 'cluster0-pl-0-k45tj.mongodb.net'],
    ['the host at the parent itself', 'k45tj.example.com', 'cluster0.k45tj.example.com'],
    ['the host above the parent', 'pl-0.example.com', 'cluster0.k45tj.example.com'],
  ])('refuses %s', (_, host, srvHost) => {
    expectRefusedAt(mongo(host, srvHost), 'target.srvHost');
  });

  it('refuses an srvHost of two labels for that reason (not only because it is a registrable domain)', () => {
    const issues = expectRefusedAt(mongo('pl-0.example.com', 'example.com'), 'target.srvHost');
    expect(issues.map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringMatching(/three labels/)]));
  });

  it.each(['replicaSet', 'authSource'])('%s refuses characters that would break the TXT record or URI', (field) => {
    const path = `target.${field}`;
    for (const value of [
      'a&b',
      'a=b',
      'a b',
      'a"b',
      "a'b",
      'a?b',
      'a#b',
      'a%26b',
      'a/b',
      'ré',
      'rs€',
      '',
      'x'.repeat(65),
      1,
    ])
      expectRefusedAt(withValue(replicaSet, path, value), path);
    for (const value of ['Cluster0-shard-0', 'atlas-abc123-shard-0', 'rs_0.1', 'x'.repeat(64)])
      expectAccepted(withValue(replicaSet, path, value));
  });
});

describe('zones that would shadow a domain', () => {
  it.each([
    ['mongodb.net', replicaSet],
    ['pinecone.io', pinecone],
    ['co.uk', pinecone],
    ['example.co.uk', pinecone],
    ['example.com', orders],
  ])('refuses %s as the host', (host, base) => {
    const raw = withValues(base, { 'target.host': host, 'target.srvHost': REMOVE });
    expectRefusedAt(raw, 'target.host');
  });

  it('refuses a registrable srvHost', () => {
    expectRefusedAt(
      withValues(replicaSet, { 'target.host': 'pl-0.example.co.uk', 'target.srvHost': 'example.co.uk' }),
      'target.srvHost',
    );
  });

  it.each(['mongodb.net', 'pinecone.io', 'co.uk', 'io'])('refuses %s as dns.zoneName', (zoneName) => {
    const base = zoneName === 'mongodb.net' ? replicaSet : pinecone;
    expectRefusedAt(withValue(base, 'dns.zoneName', zoneName), 'dns.zoneName');
  });

  it('accepts a zone below the registrable domain that holds every name', () => {
    expectAccepted(withValue(orders, 'dns.zoneName', 'internal.example.com'));
    expectAccepted(
      withValues(replicaSet, {
        'target.host': 'pl-0.db.example.com',
        'target.srvHost': 'cluster0.db.example.com',
        'dns.zoneName': 'db.example.com',
      }),
    );
  });

  it('refuses a zone that does not hold every name of the request', () => {
    expectRefusedAt(withValue(orders, 'dns.zoneName', 'other.example.com'), 'dns.zoneName');
    // the srvHost is outside the zone even though the host is inside
    expectRefusedAt(withValue(replicaSet, 'dns.zoneName', 'pl-0-us-east-1-k45tj.mongodb.net'), 'dns.zoneName');
  });

  it('leaves DNS to an external consumer', () => {
    const external = withValue(orders, 'consumer', { external: { accountId: '444455556666' } });
    expectAccepted(external);
    expectRefusedAt(withValue(external, 'dns.zoneName', 'internal.example.com'), 'dns.zoneName');
  });
});

describe('dns.records', () => {
  it("allows a CNAME for Pinecone: its record is the wildcard below the zone's apex", () => {
    expectAccepted(withValue(pinecone, 'dns.records', 'CNAME'));
  });

  it.each(['A', 'ALIAS'])('puts %s at a zone apex', (records) => {
    expectAccepted(withValue(replicaSet, 'dns.records', records));
  });

  it('refuses a CNAME at a zone apex (Route 53 allows none there)', () => {
    expectRefusedAt(withValue(orders, 'dns.records', 'CNAME'), 'dns.records');
    expectRefusedAt(
      withValue(orders, 'dns', { records: 'CNAME', zoneName: 'orders-db.internal.example.com' }),
      'dns.records',
    );
  });

  it('accepts a CNAME for a host below dns.zoneName, even when the srvHost is the apex', () => {
    expectAccepted(withValue(orders, 'dns', { records: 'CNAME', zoneName: 'internal.example.com' }));
    // The CNAME sits at the host only; the TXT at the apex srvHost is no conflict.
    expectAccepted(
      withValues(replicaSet, {
        'target.host': 'pl-0.db.example.com',
        'target.srvHost': 'db.example.com',
        dns: { records: 'CNAME', zoneName: 'db.example.com' },
      }),
    );
  });

  it('refuses a CNAME that would share its name with the seedlist TXT record', () => {
    const sameName = withValues(replicaSet, {
      'target.host': 'cluster0.db.example.com',
      'target.srvHost': 'cluster0.db.example.com',
      dns: { records: 'CNAME', zoneName: 'db.example.com' },
    });
    expectRefusedAt(sameName, 'dns.records');
    // without TXT options there is no TXT record, so no conflict
    expectAccepted(withValues(sameName, { 'target.replicaSet': REMOVE, 'target.authSource': REMOVE }));
  });

  it.each(['AAAA', 'a', 'TXT', '', null])('refuses %j', (records) => {
    expectRefusedAt(withValue(replicaSet, 'dns.records', records), 'dns.records');
  });
});

describe('tags', () => {
  const tags = (value: unknown) => withValue(replicaSet, 'tags', value);
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, `value${i}`]));

  it('accepts AWS-legal tags up to the limits', () => {
    expectAccepted(tags(many(MAX_USER_TAGS)));
    // EC2's limits (127 and 255 Unicode characters), counted as AWS counts: 𝒜 (outside the BMP) is one character.
    expectAccepted(tags({ ['k'.repeat(127)]: 'v'.repeat(255) }));
    expectAccepted(tags({ ['𝒜'.repeat(127)]: '𝒜'.repeat(255) }));
    expectAccepted(tags({ 'cost-center': '', équipe: 'paiements', 'a.b:c/d=e+f-g@h_i j': '1' }));
  });

  it.each([
    ['a key over 127 characters (EC2 refuses 128)', { ['k'.repeat(128)]: 'v' }, `tags.${'k'.repeat(128)}`],
    ['a value over 255 characters (EC2 refuses 256)', { team: 'v'.repeat(256) }, 'tags.team'],
    ['a __proto__ key, which a plain object would silently drop', JSON.parse('{"__proto__": "x"}'), 'tags.__proto__'],
    ['the aws: prefix', { 'aws:team': 'payments' }, 'tags.aws:team'],
    ['the aws: prefix in capitals', { 'AWS:team': 'payments' }, 'tags.AWS:team'],
    ['our own request-id tag', { 'privatelink:request-id': 'x' }, 'tags.privatelink:request-id'],
    ['an empty key', { '': 'x' }, 'tags.'],
    ['characters AWS refuses in a key', { 'team#1': 'x' }, 'tags.team#1'],
    ['characters AWS refuses in a value', { team: 'pay*ments' }, 'tags.team'],
    ['a non-string value', { team: 5 }, 'tags.team'],
    [`more than ${MAX_USER_TAGS} tags`, many(MAX_USER_TAGS + 1), 'tags'],
    ['an array', ['team'], 'tags'],
  ])('refuses %s', (_, value, path) => {
    const issues = expectRefusedAt(tags(value), path);
    // The message says why, not zod's generic "Invalid key in record".
    for (const issue of issues) expect(issue.message).not.toMatch(/^Invalid key/);
  });
});

describe('notify', () => {
  const notify = (value: unknown) => withValue(replicaSet, 'notify', value);

  it('accepts a Slack response URL and an event bus', () => {
    expectAccepted(
      notify({ slackResponseUrl: 'https://hooks.slack.com/commands/T000/123/abc', eventBusName: 'default' }),
    );
    expectAccepted(notify({ eventBusName: 'arn:aws:events:us-east-1:111122223333:event-bus/clusters' }));
  });

  it.each([
    'http://hooks.slack.com/commands/T000/123/abc',
    'https://hooks.slack.com.evil.example/commands/x',
    'https://hooks.slack.com@evil.example/commands/x',
    'https://evil.example/https://hooks.slack.com/',
    'https://slack.com/commands/x',
    'hooks.slack.com/commands/x',
    'not a url',
  ])('sends nothing to %s', (slackResponseUrl) => {
    expectRefusedAt(notify({ slackResponseUrl }), 'notify.slackResponseUrl');
  });

  it('refuses an invalid event bus name', () => {
    expectRefusedAt(notify({ eventBusName: 'my bus' }), 'notify.eventBusName');
    expectRefusedAt(notify({ eventBusName: '' }), 'notify.eventBusName');
  });
});

describe('structure', () => {
  it.each([
    ['extra', replicaSet],
    ['requestID', replicaSet],
    ['service.extra', replicaSet],
    ['service.create.extra', orders],
    ['consumer.extra', replicaSet],
    ['target.extra', replicaSet],
    ['target.srvHost', pinecone], // a MongoDB field on an https target
    ['target.scheme', pinecone],
    ['dns.extra', replicaSet],
    ['notify.extra', replicaSet],
  ])('refuses the unknown field %s, naming it', (path, base) => {
    expectRefusedAt(withValue(base, path, 'x'), path);
  });

  it('refuses unknown fields in an external consumer', () => {
    expectRefusedAt(
      withValue(pinecone, 'consumer', { external: { accountId: '444455556666', region: 'us-east-1' } }),
      'consumer.external.region',
    );
    // both shapes at once: the VPC fields are unknown to the external one
    expectRefusedAt(withValue(pinecone, 'consumer.external', { accountId: '444455556666' }), 'consumer.vpcId');
  });

  it.each(['region', 'service', 'consumer', 'target'])('requires %s', (path) => {
    expectRefusedAt(withValue(replicaSet, path, REMOVE), path);
  });

  it.each([
    ['consumer.vpcId', replicaSet],
    ['consumer.subnetIds', replicaSet],
    ['consumer.securityGroupIds', replicaSet],
    ['service.serviceName', replicaSet],
    ['service.create.networkLoadBalancerArns', orders],
    ['target.host', replicaSet],
    ['target.ports', replicaSet],
    ['target.kind', replicaSet],
  ])('requires %s, naming it (not just its parent)', (path, base) => {
    expectRefusedAt(withValue(base, path, REMOVE), path);
  });

  it('names the field when a value has the wrong type inside a union branch, with one issue', () => {
    const issues = issuesOf(withValue(replicaSet, 'consumer.subnetIds', 'subnet-0a1b2c3d4e5f67890'));
    // one "expected array", not also zod's "too big" from measuring the string's length
    expect(issues).toEqual([{ path: 'consumer.subnetIds', message: expect.stringMatching(/expected array/) }]);
    expectRefusedAt(withValue(replicaSet, 'service', {}), 'service.serviceName');
    // not an object at all: the consumer itself is wrong
    expectRefusedAt(withValue(replicaSet, 'consumer', 'vpc-0a1b2c3d4e5f67890'), 'consumer');
  });

  it('refuses a target kind it does not know, and a bad tcp scheme', () => {
    expectRefusedAt(withValue(orders, 'target.kind', 'ftp'), 'target.kind');
    for (const scheme of ['Postgres SQL', '1pg', 'pg://', ''])
      expectRefusedAt(withValue(orders, 'target.scheme', scheme), 'target.scheme');
    expect(expectAccepted(withValue(orders, 'target.scheme', REMOVE)).target).toMatchObject({ scheme: 'tcp' });
  });

  it('reports every problem at once', () => {
    const paths = issuesOf(withValues(replicaSet, { region: 'nowhere-1', 'target.ports': [1024, 1024] })).map(
      (i) => i.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['region', 'target.ports.1']));
  });

  it.each([null, 'text', 42, []])('refuses a body that is not an object: %j', (raw) => {
    expect(issuesOf(raw)).not.toEqual([]);
  });
});

describe('requireProvisionRequest', () => {
  it('returns the parsed request', () => {
    expect(requireProvisionRequest(replicaSet).requestId).toBe('cluster0-app-prod');
  });

  it('throws RequestValidationError carrying the field issues', () => {
    const bad = withValue(replicaSet, 'consumer.subnetIds.1', 'subnet-x');
    const error = (() => {
      try {
        requireProvisionRequest(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((i) => i.path)).toEqual(['consumer.subnetIds.1']);
    expect((error as RequestValidationError).message).toMatch(/^InvalidRequest: consumer\.subnetIds\.1: /);
  });
});

describe('vendors', () => {
  const atlas = example('atlas-cluster.json');

  it('takes an Atlas cluster without a target: Atlas gives the hosts and ports', () => {
    const request = expectAccepted(atlas);
    expect(request.service).toEqual({ atlas: { projectId: '6123456789abcdef01234567', clusterName: 'Cluster0' } });
    expect(request.target).toBeUndefined();
  });

  it.each([
    ['a project id that is not 24 hex', 'service.atlas.projectId', '6123'],
    ['a cluster name with a space', 'service.atlas.clusterName', 'Cluster 0'],
  ])('refuses %s', (_, path, value) => {
    expectRefusedAt(withValue(atlas, path, value), path);
  });

  it('refuses a target or dns for Atlas, whose names and DNS are its own', () => {
    expectRefusedAt(withValue(atlas, 'target', example('atlas-replica-set.json').target), 'target');
    expectRefusedAt(withValue(atlas, 'dns', { records: 'A' }), 'dns');
  });

  it('says `target` is required, in a sentence, for every other service', () => {
    const issues = expectRefusedAt(withValue(orders, 'target', REMOVE), 'target');
    expect(issues[0]?.message).toMatch(/`target` is required/);
  });

  it("takes Pinecone's private host in the request's region only", () => {
    const issues = expectRefusedAt(
      withValue(pinecone, 'target.host', 'my-index-abc1234.svc.aped-4627-b74a.pinecone.io'),
      'target.host',
    );
    expect(issues[0]?.message).toContain('my-index-abc1234.svc.private.aped-4627-b74a.pinecone.io');
    expectRefusedAt(
      withValue(pinecone, 'target.host', 'my-index-abc1234.svc.private.apw5-4e34-81fa.pinecone.io'),
      'target.host',
    );
    expectRefusedAt(withValue(pinecone, 'region', 'ap-south-1'), 'service.vendor');
  });

  it('refuses an unknown vendor, naming the known ones', () => {
    const issues = expectRefusedAt(withValue(pinecone, 'service', { vendor: 'acme' }), 'service.vendor');
    expect(issues[0]?.message).toContain('pinecone');
  });
});

describe('names that would shadow others', () => {
  it.each([
    ['s3.amazonaws.com', 'a public suffix of the list’s private section'],
    ['us-east-1.amazonaws.com', 'an AWS service domain'],
    ['vpce.amazonaws.com', 'an AWS service domain not on the list'],
    ['y.github.io', "a registrable domain under the list's private section"],
  ])('refuses %s (%s) as target.host and dns.zoneName', (name) => {
    expectRefusedAt(withValue(orders, 'target.host', name), 'target.host');
    expectRefusedAt(withValue(orders, 'dns', { zoneName: name }), 'dns.zoneName');
  });
});

describe('the default request id', () => {
  it('is the same however the request is written (key order, case, defaults spelled out)', () => {
    const { requestId: _id, ...plain } = orders as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(plain).reverse());
    const spelled = withValues(plain, {
      'target.host': 'ORDERS-DB.internal.example.com.',
      'consumer.allowFrom': ['sg-0123456789abcdef0'],
    });
    const ids = [plain, reordered, spelled].map((r) => expectAccepted(r).requestId);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^req-[0-9a-f]{16}$/);
  });
});
