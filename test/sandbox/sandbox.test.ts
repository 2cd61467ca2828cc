import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointsCommand,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListHostedZonesCommand,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atlasPortFromEnvironment } from '../../src/core/atlas/credentials.ts';
import { clearAtlasTokens } from '../../src/core/atlas/oauth.ts';
import { ec2Client, route53Client } from '../../src/core/aws/clients.ts';
import { clock, sleep } from '../../src/core/clock.ts';
import {
  DEFAULT_SEED_PATH,
  DEFAULT_TIMING,
  emptyRoute53State,
  loadSeed,
  parseSeed,
  ROUTE53_OPERATIONS,
  Route53Sim,
  Sandbox,
  type SandboxSeed,
  SeedError,
} from '../../src/core/sandbox/index.ts';

const VPC = 'vpc-0a1b2c3d4e5f67890';
const SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'];
const ATLAS = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/0123456789abcdef';

let seed: SandboxSeed;
let sandbox: Sandbox;
let detach: () => void;
let dirs: string[] = [];

beforeEach(async () => {
  seed = await loadSeed(DEFAULT_SEED_PATH);
  sandbox = Sandbox.fromSeed(seed);
  detach = sandbox.attach();
});
afterEach(async () => {
  detach();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-sandbox-'));
  dirs.push(dir);
  return dir;
}

const ec2 = () => ec2Client('us-east-1');

async function createEndpoint(tags: Record<string, string> = {}) {
  const output = await ec2().send(
    new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface',
      VpcId: VPC,
      ServiceName: ATLAS,
      SubnetIds: SUBNETS,
      SecurityGroupIds: ['sg-0fedcba9876543210'],
      TagSpecifications: [
        { ResourceType: 'vpc-endpoint', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      ],
    }),
  );
  return output.VpcEndpoint?.VpcEndpointId ?? '';
}

async function endpointState(endpointId: string): Promise<string | undefined> {
  const output = await ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
  return output.VpcEndpoints?.[0]?.State;
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('faults', () => {
  it('fails every call of an operation without COUNT, with the real SDK exception', async () => {
    sandbox.addFault('CreateVpcEndpoint:VpcEndpointLimitExceeded');
    for (let i = 0; i < 3; i++) {
      const error = await rejection(createEndpoint());
      expect(error).toBeInstanceOf(EC2ServiceException);
      expect(error).toMatchObject({ name: 'VpcEndpointLimitExceeded', $metadata: { httpStatusCode: 400 } });
    }
    expect(sandbox.callCounts().CreateVpcEndpoint).toBe(3);
    expect(sandbox.inventory().endpoints).toEqual([]);
    sandbox.clearFaults();
    expect(await createEndpoint()).toMatch(/^vpce-/);
  });

  it('fails only the first COUNT calls, throttling with the status AWS uses', async () => {
    sandbox.addFault('DescribeVpcEndpoints:RequestLimitExceeded:2');
    const endpointId = await createEndpoint();
    for (let i = 0; i < 2; i++)
      expect(await rejection(endpointState(endpointId))).toMatchObject({
        name: 'RequestLimitExceeded',
        $metadata: { httpStatusCode: 503 },
      });
    expect(await endpointState(endpointId)).toBe('pending');
    expect(sandbox.callCounts().DescribeVpcEndpoints).toBe(3);
  });

  it('fails Route 53 calls with a Route 53 exception', async () => {
    sandbox.addFault('ListHostedZones:Throttling:1');
    const error = await rejection(route53Client().send(new ListHostedZonesCommand({})));
    expect(error).toBeInstanceOf(Route53ServiceException);
    expect(error).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    await expect(route53Client().send(new ListHostedZonesCommand({}))).resolves.toMatchObject({ HostedZones: [] });
  });

  it('sends endpoints created under endpoint:failed to failed instead of available', async () => {
    sandbox.addFault('endpoint:failed');
    const endpointId = await createEndpoint();
    expect(await endpointState(endpointId)).toBe('pending');
    sandbox.advance(DEFAULT_TIMING.endpointAvailableAfterSeconds);
    expect(await endpointState(endpointId)).toBe('failed');
  });

  it('sends endpoints created under endpoint:rejected to rejected instead of accepted', async () => {
    sandbox.addFault('endpoint:rejected');
    const endpointId = await createEndpoint();
    expect(await endpointState(endpointId)).toBe('pendingAcceptance');
    sandbox.advance(DEFAULT_TIMING.vendorAcceptsAfterSeconds + DEFAULT_TIMING.endpointAvailableAfterSeconds);
    expect(await endpointState(endpointId)).toBe('rejected');
  });

  it.each([
    'CreateVpcEndpoint',
    'CreateVpcEndpoint:',
    'createVpcEndpoint:Throttling',
    'X:Y:0',
    'X:Y:two',
    'endpoint:gone',
  ])('refuses the bad spec "%s"', (spec) => {
    expect(() => sandbox.addFault(spec)).toThrow(/invalid fault/);
  });
});

describe('the account', () => {
  it('counts calls per operation, advances the clock by the simulated latency and resets counts', async () => {
    const start = sandbox.clock.now();
    await createEndpoint();
    await route53Client().send(new ListHostedZonesCommand({}));
    expect(sandbox.clock.now() - start).toBe(DEFAULT_TIMING.ec2LatencyMs + DEFAULT_TIMING.route53LatencyMs);
    expect(sandbox.callCounts()).toEqual({ CreateVpcEndpoint: 1, ListHostedZones: 1 });
    sandbox.resetCallCounts();
    expect(sandbox.callCounts()).toEqual({});
  });

  it('puts its clock behind the project clock while attached and restores it on detach', () => {
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    sandbox.advance(90);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 90_000);
    const client = ec2();
    detach();
    // the machine's clock again: read between two readings of it
    const before = Date.now();
    const now = clock.now();
    expect([before <= now, now <= Date.now()]).toEqual([true, true]);
    expect(client.middlewareStack.identify().some((name) => name.startsWith('privatelinkSandbox'))).toBe(false);
    expect(ec2()).not.toBe(client);
    detach = sandbox.attach();
  });

  it('never lets a caller change its state through an answer', async () => {
    const endpointId = await createEndpoint({ team: 'payments' });
    const first = await ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    first.VpcEndpoints?.[0]?.SubnetIds?.push('subnet-0000000000000000f');
    first.VpcEndpoints?.[0]?.Tags?.push({ Key: 'x', Value: 'y' });
    const second = await ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    expect(second.VpcEndpoints?.[0]?.SubnetIds).toEqual(SUBNETS);
    expect(second.VpcEndpoints?.[0]?.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
  });

  it('gives the same ids and addresses from the same seed', async () => {
    const firstId = await createEndpoint();
    detach();
    sandbox = Sandbox.fromSeed(seed);
    detach = sandbox.attach();
    expect(await createEndpoint()).toBe(firstId);
  });

  it('saves and loads its whole state, continuing a lifecycle where it stopped', async () => {
    const dir = await tempDir();
    const endpointId = await createEndpoint();
    sandbox.advance(60);
    await sandbox.save(dir);
    expect(await readdir(dir)).toEqual(['sandbox.json']);
    detach();

    const loaded = await Sandbox.load(dir);
    if (!loaded) throw new Error('nothing loaded');
    sandbox = loaded;
    detach = sandbox.attach();
    expect(sandbox.accountId).toBe('111122223333');
    expect(sandbox.callCounts()).toEqual({ CreateVpcEndpoint: 1 });
    expect(await endpointState(endpointId)).toBe('pending');
    sandbox.advance(60);
    expect(await endpointState(endpointId)).toBe('available');
    const nextId = await createEndpoint();
    expect(nextId).not.toBe(endpointId);
    expect(sandbox.inventory().endpoints.map((e) => e.endpointId)).toEqual([endpointId, nextId]);
  });

  it('loads nothing from a directory without state, and refuses a file that is not its own', async () => {
    const dir = await tempDir();
    expect(await Sandbox.load(dir)).toBeUndefined();
    expect(await Sandbox.load(join(dir, 'missing'))).toBeUndefined();
    await writeFile(join(dir, 'sandbox.json'), '{"version": 99}');
    await expect(Sandbox.load(dir)).rejects.toThrow(/not a sandbox state file/);
  });

  it('lists its endpoints, the services it created and every hosted zone with records', async () => {
    const endpointId = await createEndpoint({ 'privatelink:request-id': 'r1' });
    const service = await ec2().send(
      new CreateVpcEndpointServiceConfigurationCommand({
        NetworkLoadBalancerArns: [NLB],
        AcceptanceRequired: true,
        TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'team', Value: 'orders' }] }],
      }),
    );
    const zone = await route53Client().send(
      new CreateHostedZoneCommand({
        Name: 'pl-0-us-east-1-k45tj.mongodb.net',
        CallerReference: 'r1-zone',
        VPC: { VPCId: VPC, VPCRegion: 'us-east-1' },
        HostedZoneConfig: { PrivateZone: true },
      }),
    );
    const hostedZoneId = (zone.HostedZone?.Id ?? '').replace('/hostedzone/', '');
    sandbox.advance(1);
    await route53Client().send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: hostedZoneId,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'pl-0-us-east-1-k45tj.mongodb.net',
                Type: 'A',
                TTL: 60,
                ResourceRecords: [{ Value: '10.0.1.15' }],
              },
            },
          ],
        },
      }),
    );
    const inventory = sandbox.inventory();
    expect(inventory.endpoints).toEqual([
      {
        endpointId,
        state: 'pending',
        tags: { 'privatelink:request-id': 'r1' },
        dnsName: expect.stringMatching(
          new RegExp(`^${endpointId}-[a-z0-9]+\\.vpce-svc-0123456789abcdef0\\.us-east-1\\.vpce\\.amazonaws\\.com$`),
        ),
        privateIpAddresses: [expect.stringMatching(/^10\.0\.1\.\d+$/), expect.stringMatching(/^10\.0\.2\.\d+$/)],
      },
    ]);
    expect(inventory.endpointServices).toEqual([
      {
        serviceId: service.ServiceConfiguration?.ServiceId,
        serviceName: service.ServiceConfiguration?.ServiceName,
        state: 'Available',
        tags: { team: 'orders' },
      },
    ]);
    expect(inventory.hostedZones).toHaveLength(1);
    expect(inventory.hostedZones[0]).toMatchObject({ hostedZoneId, name: 'pl-0-us-east-1-k45tj.mongodb.net' });
    expect(inventory.hostedZones[0]?.records).toContainEqual({
      name: 'pl-0-us-east-1-k45tj.mongodb.net',
      type: 'A',
      values: ['10.0.1.15'],
    });
    expect(Object.keys(inventory)).toEqual(['endpoints', 'endpointServices', 'hostedZones', 'atlas']);
    expect(inventory.atlas).toEqual({ endpointServices: [], endpoints: [], dnsRecords: [] });
  });
});

describe('vendors, the other party and Atlas', () => {
  const PINECONE = 'com.amazonaws.vpce.us-east-1.vpce-svc-05ef6f1f0b9130b54';
  const PROJECT = '6123456789abcdef01234567';

  async function endpointTo(serviceName: string): Promise<string> {
    const output = await ec2().send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: VPC,
        ServiceName: serviceName,
        SubnetIds: SUBNETS,
      }),
    );
    return output.VpcEndpoint?.VpcEndpointId ?? '';
  }

  it('plays the vendor: accepts or rejects a pending endpoint on its service', async () => {
    const accepted = await endpointTo(PINECONE);
    const rejected = await endpointTo(PINECONE);
    expect(await endpointState(accepted)).toBe('pendingAcceptance');
    expect(await sandbox.vendorDecide(accepted, 'accept')).toMatchObject({ endpointId: accepted, state: 'pending' });
    expect(await sandbox.vendorDecide(rejected, 'reject')).toMatchObject({ endpointId: rejected, state: 'rejected' });
    expect(await endpointState(rejected)).toBe('rejected');
    await expect(sandbox.vendorDecide(accepted, 'accept')).rejects.toThrow(/not pendingAcceptance/);
  });

  it("plays the other party: an endpoint from its own account's seed VPC", async () => {
    const { endpointId } = await sandbox.createConsumerEndpoint({ accountId: '444455556666', serviceName: PINECONE });
    expect(endpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
    // not the sandbox account's, so not in its inventory; its vendor still sees it
    expect(sandbox.inventory().endpoints).toEqual([]);
    expect(await sandbox.vendorDecide(endpointId, 'accept')).toMatchObject({ state: 'pending' });
    await expect(sandbox.createConsumerEndpoint({ accountId: '777788889999', serviceName: PINECONE })).rejects.toThrow(
      /no VPC of account 777788889999 in us-east-1/,
    );
  });

  it('puts the Atlas transport, the seed service account and a sleeping clock behind the adapter while attached', async () => {
    clearAtlasTokens();
    const atlas = atlasPortFromEnvironment();
    const created = await atlas.createEndpointService(PROJECT, 'us-east-1');
    expect(created).toMatchObject({ regionName: 'US_EAST_1', status: 'INITIATING' });
    expect(await atlas.listEndpointServices(PROJECT)).toEqual([created]);
    expect(sandbox.callCounts()).toEqual({
      'atlas:getToken': 1,
      'atlas:createEndpointService': 1,
      'atlas:listEndpointServices': 1,
    });
    const before = sandbox.clock.now();
    await sleep(5000);
    expect(sandbox.clock.now() - before).toBe(5000);
    // a 429 is waited out on the simulated clock after its Retry-After, then answered
    sandbox.addFault('atlas:getCluster:429:1');
    const start = sandbox.clock.now();
    expect(await atlas.getCluster(PROJECT, 'Cluster0')).toMatchObject({ name: 'Cluster0', stateName: 'IDLE' });
    expect(sandbox.callCounts()['atlas:getCluster']).toBe(2);
    expect(sandbox.clock.now() - start).toBeGreaterThanOrEqual(10_000);
    clearAtlasTokens();
  });

  it('persists the Atlas organization, and loads a state file written before Atlas was simulated', async () => {
    const dir = await tempDir();
    clearAtlasTokens();
    const atlas = atlasPortFromEnvironment();
    const { id } = await atlas.createEndpointService(PROJECT, 'us-east-1');
    await sandbox.save(dir);
    detach();
    const loaded = await Sandbox.load(dir);
    if (!loaded) throw new Error('nothing loaded');
    sandbox = loaded;
    detach = sandbox.attach();
    expect(sandbox.inventory().atlas.endpointServices.map((s) => s.id)).toEqual([id]);
    sandbox.advance(180);
    expect(await atlas.getEndpointService(PROJECT, id)).toMatchObject({ status: 'WAITING_FOR_USER' });

    const path = join(dir, 'sandbox.json');
    const { atlas: _atlas, ...older } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify(older));
    detach();
    const old = await Sandbox.load(dir);
    if (!old) throw new Error('nothing loaded');
    sandbox = old;
    detach = sandbox.attach();
    expect(sandbox.inventory().atlas.endpointServices).toEqual([]);
    clearAtlasTokens();
  });

  it('knows every Route 53 operation its simulation answers, for refusing fault typos', () => {
    const sim = new Route53Sim(
      { accountId: '111122223333', timing: DEFAULT_TIMING, now: () => 0, newId: (p) => `${p}-0` },
      emptyRoute53State(),
    );
    const handlers = Object.keys((sim as unknown as { handlers: Record<string, unknown> }).handlers);
    expect([...ROUTE53_OPERATIONS].sort()).toEqual(handlers.sort());
    for (const operation of ROUTE53_OPERATIONS) sandbox.addFault(`${operation}:Throttling:1`);
  });
});

describe('the seed', () => {
  const raw = () => JSON.parse(JSON.stringify(seed)) as Record<string, unknown> & { vpcs: Record<string, unknown>[] };

  it('ships a default seed with the contract example resources and the default timing', () => {
    expect(seed.accountId).toBe('111122223333');
    expect(seed.vpcs[0]?.subnets.map((s) => s.availabilityZone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(seed.endpointServices).toHaveLength(4);
    expect(seed.timing).toEqual(DEFAULT_TIMING);
  });

  it('merges a partial timing over the defaults', () => {
    const parsed = parseSeed({ ...raw(), timing: { endpointAvailableAfterSeconds: 5 } });
    expect(parsed.timing).toEqual({ ...DEFAULT_TIMING, endpointAvailableAfterSeconds: 5 });
  });

  it.each([
    [
      'a subnet outside its VPC',
      { cidr: '10.1.0.0/16' },
      /vpcs\.0\.subnets\.0\.cidr: 10\.0\.1\.0\/24 is not inside the VPC's 10\.1\.0\.0\/16/,
    ],
    ['a malformed VPC id', { vpcId: 'vpc-xyz' }, /vpcs\.0\.vpcId: must be vpc- followed by 8 or 17/],
    ['a malformed CIDR', { cidr: '10.0.0.0/33' }, /vpcs\.0\.cidr: must be an IPv4 CIDR block/],
    ['a zone of another region', { region: 'eu-west-1' }, /us-east-1a is not a zone of eu-west-1/],
  ])('refuses %s with a clear error', (_what, vpcChange, message) => {
    const input = raw();
    input.vpcs[0] = { ...input.vpcs[0], ...vpcChange };
    expect(() => parseSeed(input, 'seed.json')).toThrow(SeedError);
    expect(() => parseSeed(input, 'seed.json')).toThrow(message);
  });

  it('refuses a load balancer of another account and unknown keys', () => {
    const input = raw();
    input.loadBalancers = [{ arn: NLB.replace('111122223333', '444455556666') }];
    expect(() => parseSeed(input)).toThrow(/loadBalancers\.0\.arn: belongs to account 444455556666/);
    expect(() => parseSeed({ ...raw(), vpc: [] })).toThrow(SeedError);
  });

  it('names the file when it cannot be read or parsed', async () => {
    const dir = await tempDir();
    const path = join(dir, 'seed.json');
    await expect(loadSeed(path)).rejects.toThrow(`Invalid sandbox seed ${path}: (seed): cannot be read (ENOENT)`);
    await writeFile(path, '{ not json');
    await expect(loadSeed(path)).rejects.toThrow(/is not JSON/);
  });
});
