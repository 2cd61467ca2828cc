import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { route53Client } from '../../src/core/aws/clients.ts';
import { callerReference } from '../../src/core/domain/ids.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../../src/core/domain/request.ts';
import { DnsChangeTimeoutError, PreconditionError, TransientAwsError } from '../../src/core/errors.ts';
import { Sandbox } from '../../src/core/sandbox/index.ts';
import { checkDnsChange } from '../../src/core/steps/check-dns-change.ts';
import type { EndpointProgress } from '../../src/core/steps/create-interface-endpoint.ts';
import type { DnsState, StepPorts, WorkflowState } from '../../src/core/steps/state.ts';
import { upsertDnsRecords } from '../../src/core/steps/upsert-dns-records.ts';
import {
  availableEndpoint,
  ordersInInternalZone,
  STEP_SERVICE,
  STEP_SUBNETS,
  STEP_VPC,
  stepPorts,
  stepSeed,
} from '../support/step-sandbox.ts';

const VPC = STEP_VPC;
const OTHER_VPC = 'vpc-0b1b2c3d4e5f67890';
const SUBNETS = STEP_SUBNETS;
const SERVICE = STEP_SERVICE;
const HOST = 'pl-0-us-east-1-k45tj.mongodb.net';
const SRV_HOST = 'cluster0-pl-0-k45tj.mongodb.net';
const INSYNC_SECONDS = 40;

let sandbox: Sandbox;
let detach: () => void;
let ports: StepPorts;

beforeEach(() => {
  sandbox = Sandbox.fromSeed(
    stepSeed({
      vpcs: [
        {
          vpcId: OTHER_VPC,
          region: 'us-east-1',
          cidr: '10.1.0.0/16',
          subnets: [{ subnetId: 'subnet-0b1b2c3d4e5f67890', cidr: '10.1.1.0/24', availabilityZone: 'us-east-1a' }],
        },
      ],
      timing: { dnsChangeInsyncAfterSeconds: INSYNC_SECONDS },
    }),
  );
  detach = sandbox.attach();
  ports = stepPorts(sandbox);
});
afterEach(() => detach());

function mongoRequest(changes: { requestId?: string; dns?: Record<string, unknown> } = {}): ProvisionRequest {
  return requireProvisionRequest({
    requestId: changes.requestId ?? 'cluster0-app-prod',
    region: 'us-east-1',
    service: { serviceName: SERVICE },
    consumer: { vpcId: VPC, subnetIds: SUBNETS, securityGroupIds: ['sg-0fedcba9876543210'] },
    target: { kind: 'mongodb', host: HOST, ports: [1024, 1025, 1026], srvHost: SRV_HOST, replicaSet: 'rs0' },
    dns: { records: 'A', ...changes.dns },
    tags: { team: 'payments' },
  });
}

async function withEndpoint(request: ProvisionRequest, attempt = 1): Promise<WorkflowState> {
  const endpoint = await availableEndpoint(ports);
  return { request, attempt, endpoint };
}

/** The Route 53 calls `run` makes, by operation. */
async function route53Calls<T>(run: () => Promise<T>): Promise<{ value: T; calls: Record<string, number> }> {
  sandbox.resetCallCounts();
  const value = await run();
  const calls = Object.fromEntries(
    Object.entries(sandbox.callCounts()).filter(([op]) => !/Vpc|NetworkInterfaces/.test(op)),
  );
  return { value, calls };
}

/** A private zone someone else made in `vpcId`, with one record. */
async function othersZone(
  name: string,
  vpcId: string,
  record: { name: string; type: 'A'; values: string[] },
  reference = `someone-else-${name}-${vpcId}`,
) {
  const client = route53Client();
  const created = await client.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: reference,
      VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' },
      HostedZoneConfig: { PrivateZone: true },
    }),
  );
  const id = (created.HostedZone?.Id ?? '').replace('/hostedzone/', '');
  await client.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: id,
      ChangeBatch: {
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: record.name,
              Type: record.type,
              TTL: 300,
              ResourceRecords: record.values.map((Value) => ({ Value })),
            },
          },
        ],
      },
    }),
  );
  return id;
}

const zoneNames = () =>
  sandbox
    .inventory()
    .hostedZones.map((z) => z.name)
    .sort();

describe('UpsertDnsRecords', () => {
  it('a new seedlist request with two zones: create, tag and one batch per zone, no lookup', async () => {
    const state = await withEndpoint(mongoRequest());
    const { value: dns, calls } = await route53Calls(() => upsertDnsRecords(state, ports));
    expect(calls).toStrictEqual({ CreateHostedZone: 2, ChangeTagsForResource: 2, ChangeResourceRecordSets: 2 });
    expect(dns.zones.map((z) => [z.name, z.created])).toEqual([
      [SRV_HOST, true],
      [HOST, true],
    ]);
    expect(dns.changeIds).toHaveLength(2);
    expect(dns.insync).toBe(false);
    const inventory = sandbox.inventory().hostedZones;
    expect(inventory.map((z) => [z.name, z.records.map((r) => `${r.type} ${r.name}`).sort()])).toEqual([
      [SRV_HOST, [`NS ${SRV_HOST}`, `SOA ${SRV_HOST}`, `SRV _mongodb._tcp.${SRV_HOST}`, `TXT ${SRV_HOST}`]],
      [HOST, [`A ${HOST}`, `NS ${HOST}`, `SOA ${HOST}`]],
    ]);
    const tags = await route53Client().send(
      new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: dns.zones[0]?.hostedZoneId }),
    );
    expect(tags.ResourceTagSet?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'payments' },
        { Key: 'privatelink:request-id', Value: 'cluster0-app-prod' },
      ]),
    );
  });

  it('a re-run of the same attempt adopts its zones by CallerReference: same zones, no new one, no GetHostedZone', async () => {
    const state = await withEndpoint(mongoRequest());
    const first = await upsertDnsRecords(state, ports);
    const { value: again, calls } = await route53Calls(() => upsertDnsRecords(state, ports));
    expect(again.zones).toEqual(first.zones);
    expect(zoneNames()).toEqual([SRV_HOST, HOST].sort());
    // CreateHostedZone is refused (HostedZoneAlreadyExists); the zone is then found by name
    expect(calls).toStrictEqual({
      CreateHostedZone: 2,
      ListHostedZonesByName: 2,
      ChangeTagsForResource: 2,
      ChangeResourceRecordSets: 2,
    });
  });

  it('two runs at once converge on one zone per name', async () => {
    const state = await withEndpoint(mongoRequest());
    const [a, b] = await Promise.all([upsertDnsRecords(state, ports), upsertDnsRecords(state, ports)]);
    expect(a.zones).toEqual(b.zones);
    expect(zoneNames()).toEqual([SRV_HOST, HOST].sort());
  });

  it("a later attempt adopts the zones an earlier attempt of the request left, as the request's own", async () => {
    const request = mongoRequest();
    const first = await upsertDnsRecords(await withEndpoint(request, 1), ports);
    const state = await withEndpoint(request, 2);
    const { value: second, calls } = await route53Calls(() => upsertDnsRecords(state, ports));
    expect(second.zones).toEqual(first.zones);
    expect(second.zones.every((z) => z.created)).toBe(true);
    // ConflictingDomainExists: a zone of the name serves the VPC; its CallerReference says it is ours
    expect(calls.CreateHostedZone).toBe(2);
    expect(calls.GetHostedZone).toBeUndefined();
    expect(calls.ListResourceRecordSets).toBeUndefined();
  });

  it("reuses another's zone serving the VPC, writing only our records and keeping theirs", async () => {
    const zoneId = await othersZone('internal.example.com', VPC, {
      name: 'billing.internal.example.com',
      type: 'A',
      values: ['10.0.9.9'],
    });
    const request = ordersInInternalZone();
    const { value: dns, calls } = await route53Calls(async () => upsertDnsRecords(await withEndpoint(request), ports));
    expect(dns.zones).toEqual([{ hostedZoneId: zoneId, name: 'internal.example.com', created: false }]);
    expect(calls).toStrictEqual({
      CreateHostedZone: 1,
      ListHostedZonesByName: 1,
      GetHostedZone: 1,
      ListResourceRecordSets: 1,
      ChangeResourceRecordSets: 1,
    });
    const records = sandbox.inventory().hostedZones[0]?.records ?? [];
    expect(records.filter((r) => r.type === 'A').map((r) => [r.name, r.values.length])).toEqual([
      ['billing.internal.example.com', 1],
      ['orders.internal.example.com', 2],
    ]);
  });

  it('refuses to overwrite a record someone else wrote at our name, and changes nothing', async () => {
    await othersZone(HOST, VPC, { name: HOST, type: 'A', values: ['10.9.9.9'] });
    const state = await withEndpoint(mongoRequest());
    await expect(upsertDnsRecords(state, ports)).rejects.toThrow(PreconditionError);
    await expect(upsertDnsRecords(state, ports)).rejects.toThrow(
      /A pl-0-us-east-1-k45tj\.mongodb\.net in zone .* already holds other data/,
    );
    const zone = sandbox.inventory().hostedZones.find((z) => z.name === HOST);
    expect(zone?.records.find((r) => r.type === 'A')?.values).toEqual(['10.9.9.9']);
  });

  it('names the request that made the zone when another request of ours holds the name', async () => {
    await othersZone(HOST, VPC, { name: HOST, type: 'A', values: ['10.9.9.9'] }, callerReference('cluster9', HOST, 1));
    await expect(upsertDnsRecords(await withEndpoint(mongoRequest()), ports)).rejects.toThrow(
      /made by request cluster9\) already holds other data; refusing to overwrite it/,
    );
  });

  it('makes its own zone when the zone of that name serves another VPC only', async () => {
    const theirs = await othersZone(HOST, OTHER_VPC, { name: HOST, type: 'A', values: ['10.9.9.9'] });
    const dns = await upsertDnsRecords(await withEndpoint(mongoRequest()), ports);
    const ours = dns.zones.find((z) => z.name === HOST);
    expect(ours?.created).toBe(true);
    expect(ours?.hostedZoneId).not.toBe(theirs);
  });

  it('repeats a throttled call itself after a pause on the clock, and converges', async () => {
    const state = await withEndpoint(mongoRequest());
    sandbox.addFault('CreateHostedZone:Throttling:2');
    const before = sandbox.clock.now();
    const { value: dns, calls } = await route53Calls(() => upsertDnsRecords(state, ports));
    expect(dns.zones.map((z) => z.name)).toEqual([SRV_HOST, HOST]);
    expect(zoneNames()).toEqual([SRV_HOST, HOST].sort());
    // two throttled answers, then the two zones: only the throttled call was repeated
    expect(calls).toMatchObject({ CreateHostedZone: 4, ChangeTagsForResource: 2, ChangeResourceRecordSets: 2 });
    expect(sandbox.clock.now()).toBeGreaterThan(before);
  });

  it('lets throttling through as transient once its own budget is spent, and a retry then converges', async () => {
    const state = await withEndpoint(mongoRequest());
    sandbox.addFault('CreateHostedZone:Throttling');
    await expect(upsertDnsRecords(state, ports)).rejects.toThrow(TransientAwsError);
    sandbox.clearFaults();
    const dns = await upsertDnsRecords(state, ports);
    expect(dns.zones.map((z) => z.name)).toEqual([SRV_HOST, HOST]);
  });

  it('reports what it wrote, and the facts it wrote it from, for Finalize', async () => {
    const state = await withEndpoint(mongoRequest());
    const dns = await upsertDnsRecords(state, ports);
    expect(dns.written).toBe(true);
    expect(dns.records?.map((r) => [r.name, r.type])).toEqual([
      [`_mongodb._tcp.${SRV_HOST}`, 'SRV'],
      [SRV_HOST, 'TXT'],
      [HOST, 'A'],
    ]);
    const inZones = sandbox.inventory().hostedZones.flatMap((z) => z.records.map((r) => `${r.name} ${r.type}`));
    for (const record of dns.records ?? []) expect(inZones).toContain(`${record.name} ${record.type}`);
    expect(dns.facts?.privateIps).toHaveLength(2);
  });

  it('writes nothing while A records lack the interfaces (an endpoint waiting for its vendor)', async () => {
    const state = await withEndpoint(mongoRequest());
    const endpoint = { ...(state.endpoint as EndpointProgress), networkInterfaceIds: [] };
    const { value: dns, calls } = await route53Calls(() => upsertDnsRecords({ ...state, endpoint }, ports));
    expect(dns).toMatchObject({ written: false, zones: [], changeIds: [] });
    expect(calls).toStrictEqual({});
  });

  it('writes an alias from the DNS name alone', async () => {
    const state = await withEndpoint(mongoRequest({ dns: { records: 'ALIAS' } }));
    const endpoint = { ...(state.endpoint as EndpointProgress), networkInterfaceIds: [] };
    const dns = await upsertDnsRecords({ ...state, endpoint }, ports);
    expect(dns.written).toBe(true);
    expect(dns.records?.find((r) => r.name === HOST)?.aliasTarget?.dnsName).toBe(endpoint.dnsName);
  });

  it('a CallerReference used by a zone since deleted is an error, not a silent new zone', async () => {
    const request = mongoRequest();
    const client = route53Client();
    // Route 53 never takes a CallerReference twice, even after its zone is gone
    const created = await client.send(
      new CreateHostedZoneCommand({
        Name: SRV_HOST,
        CallerReference: callerReference(request.requestId, SRV_HOST, 1),
        VPC: { VPCId: OTHER_VPC, VPCRegion: 'us-east-1' },
        HostedZoneConfig: { PrivateZone: true },
      }),
    );
    await ports.route53.deleteZone((created.HostedZone?.Id ?? '').replace('/hostedzone/', ''));
    await expect(upsertDnsRecords(await withEndpoint(request), ports)).rejects.toThrow(/HostedZoneAlreadyExists/);
  });

  it("writes Pinecone's wildcard into the environment's private zone", async () => {
    const request = requireProvisionRequest({
      requestId: 'pinecone-docs',
      region: 'us-east-1',
      service: { serviceName: SERVICE },
      consumer: { vpcId: VPC, subnetIds: SUBNETS, securityGroupIds: ['sg-0fedcba9876543210'] },
      target: { kind: 'https', host: 'docs-example-jl7boae.svc.private.aped-4627-b74a.pinecone.io', port: 443 },
      dns: { records: 'ALIAS' },
    });
    const dns = await upsertDnsRecords(await withEndpoint(request), ports);
    expect(dns.zones.map((z) => z.name)).toEqual(['private.aped-4627-b74a.pinecone.io']);
    const records = await ports.route53.listRecords(dns.zones[0]?.hostedZoneId ?? '');
    const wildcard = records.find((r) => r.name === '*.private.aped-4627-b74a.pinecone.io');
    expect(wildcard?.type).toBe('A');
    expect(wildcard?.aliasTarget?.dnsName).toMatch(
      /^vpce-[0-9a-f]+-[a-z0-9]+\.vpce-svc-0123456789abcdef0\.us-east-1\.vpce\.amazonaws\.com$/,
    );
  });
});

describe('two Pinecone requests for one environment in one VPC', () => {
  it("the second refuses to overwrite the first's wildcard, and says every index already resolves", async () => {
    const pinecone = (requestId: string, index: string) =>
      requireProvisionRequest({
        requestId,
        region: 'us-east-1',
        service: { serviceName: SERVICE },
        consumer: { vpcId: VPC, subnetIds: SUBNETS, securityGroupIds: ['sg-0fedcba9876543210'] },
        target: { kind: 'https', host: `${index}.svc.private.aped-4627-b74a.pinecone.io`, port: 443 },
        dns: { records: 'ALIAS' },
      });
    await upsertDnsRecords(await withEndpoint(pinecone('idx-a', 'docs-example-jl7boae')), ports);
    const second = upsertDnsRecords(await withEndpoint(pinecone('idx-b', 'other-index-0a1b2c3')), ports);
    await expect(second).rejects.toThrow(
      /A \*\.private\.aped-4627-b74a\.pinecone\.io in zone .* refusing to overwrite it \(every name under private\.aped-4627-b74a\.pinecone\.io already resolves/,
    );
    expect(sandbox.inventory().hostedZones).toHaveLength(1);
  });
});

describe('CheckDnsChange', () => {
  async function upserted(): Promise<{ state: WorkflowState; dns: DnsState }> {
    const state = await withEndpoint(mongoRequest());
    const dns = await upsertDnsRecords(state, ports);
    return { state: { ...state, dns }, dns };
  }

  it('asks only the first change while it is PENDING', async () => {
    const { state, dns } = await upserted();
    const { value: next, calls } = await route53Calls(() => checkDnsChange(state, ports));
    expect(calls).toStrictEqual({ GetChange: 1 });
    expect(next).toMatchObject({ changeIds: dns.changeIds, insync: false, polls: 1 });
  });

  it('asks each change once it is reached, and stops asking a change seen INSYNC', async () => {
    const { state, dns } = await upserted();
    sandbox.advance(INSYNC_SECONDS);
    const { value: next, calls } = await route53Calls(() => checkDnsChange(state, ports));
    expect(calls).toStrictEqual({ GetChange: 2 });
    expect(next).toMatchObject({ changeIds: [], insync: true, polls: 1 });
    expect(dns.changeIds).toHaveLength(2);
  });

  it('keeps a later change that is still PENDING, and asks it alone next time', async () => {
    const { state, dns } = await upserted();
    // a third change, made later: still PENDING when the first two are INSYNC
    sandbox.advance(INSYNC_SECONDS / 2);
    const late = await ports.route53.changeRecords(
      dns.zones[1]?.hostedZoneId ?? '',
      [{ action: 'UPSERT', record: { name: HOST, type: 'A', ttl: 60, values: ['10.0.1.99'] } }],
      'later',
    );
    sandbox.advance(INSYNC_SECONDS / 2);
    const withLate = { ...state, dns: { ...dns, changeIds: [...dns.changeIds, late] } };
    const first = await route53Calls(() => checkDnsChange(withLate, ports));
    expect(first.calls).toStrictEqual({ GetChange: 3 });
    expect(first.value).toMatchObject({ changeIds: [late], insync: false });
    sandbox.advance(INSYNC_SECONDS / 2);
    const second = await route53Calls(() => checkDnsChange({ ...state, dns: first.value }, ports));
    expect(second.calls).toStrictEqual({ GetChange: 1 });
    expect(second.value).toMatchObject({ changeIds: [], insync: true, polls: 2 });
  });

  it('a seedlist request with two zones: 8 Route 53 calls in all when the first check comes once both are INSYNC', async () => {
    const state = await withEndpoint(mongoRequest());
    sandbox.resetCallCounts();
    const dns = await upsertDnsRecords(state, ports);
    sandbox.advance(INSYNC_SECONDS);
    const checked = await checkDnsChange({ ...state, dns }, ports);
    expect(checked.insync).toBe(true);
    const calls = Object.entries(sandbox.callCounts()).filter(([op]) => !/Vpc|NetworkInterfaces/.test(op));
    expect(Object.fromEntries(calls)).toStrictEqual({
      CreateHostedZone: 2,
      ChangeTagsForResource: 2,
      ChangeResourceRecordSets: 2,
      GetChange: 2,
    });
  });

  it('fails past its deadline with what was not seen INSYNC', async () => {
    const { state, dns } = await upserted();
    const late = { ...state, dns: { ...dns, deadlineAt: sandbox.clock.now() - 1 } };
    await expect(checkDnsChange(late, ports)).rejects.toThrow(DnsChangeTimeoutError);
    await expect(checkDnsChange(late, ports)).rejects.toThrow(new RegExp(dns.changeIds.join(', ')));
  });
});
