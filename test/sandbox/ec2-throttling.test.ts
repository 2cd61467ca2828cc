// EC2's request-rate token buckets in the sandbox (ec2-throttling.ts): one bucket per action, account and
// Region, sized by the action's category as AWS documents them; throttled calls answer
// RequestLimitExceeded on the simulated clock; workflows on a throttled account still end READY. Also the
// sandbox's per-run latency (useLatency) and per-run call counts (runScope). Positions on the simulated
// clock only, never durations of this machine.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTagsCommand,
  CreateVpcEndpointCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/core/app/environment.ts';
import { startProvision } from '../../src/core/app/provision.ts';
import { startTeardown } from '../../src/core/app/teardown.ts';
import { ec2Client, route53Client } from '../../src/core/aws/clients.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../../src/core/domain/request.ts';
import { FileExecutionStore } from '../../src/core/runner/execution-store.ts';
import { SimScheduler, schedulerFor } from '../../src/core/runner/sim-scheduler.ts';
import {
  CATEGORY_BUCKETS,
  type Ec2RateState,
  meteredCall,
  takeEc2Token,
} from '../../src/core/sandbox/ec2-throttling.ts';
import { DEFAULT_SEED_PATH, loadSeed, Sandbox, type SandboxSeed } from '../../src/core/sandbox/index.ts';

const VPC = 'vpc-0a1b2c3d4e5f67890';
const SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'];
const ATLAS = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

let sandbox: Sandbox;
let detach: () => void;

/** The default seed, calls taking no simulated time unless `latency`: bursts happen at one instant. */
async function account(latency = false, ec2RequestLimits: SandboxSeed['ec2RequestLimits'] = {}): Promise<Sandbox> {
  const seed = { ...(await loadSeed(DEFAULT_SEED_PATH)), ec2RequestLimits };
  return Sandbox.fromSeed(
    latency ? seed : { ...seed, timing: { ...seed.timing, ec2LatencyMs: 0, route53LatencyMs: 0 } },
  );
}

beforeEach(async () => {
  sandbox = await account();
  detach = sandbox.attach();
});
afterEach(() => detach());

const ec2 = (region = 'us-east-1') => ec2Client(region);
const describeEndpoints = (region = 'us-east-1') => ec2(region).send(new DescribeVpcEndpointsCommand({}));
const createEndpoint = () =>
  ec2().send(
    new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface',
      VpcId: VPC,
      ServiceName: ATLAS,
      SubnetIds: SUBNETS,
    }),
  );

async function rejection(promise: Promise<unknown>): Promise<EC2ServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as EC2ServiceException;
  }
  throw new Error('expected the call to be refused');
}

async function expectThrottled(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(EC2ServiceException);
  expect(error).toMatchObject({ name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } });
}

describe('the documented buckets', () => {
  it.each([
    ['DescribeVpcEndpoints', {}, 'non-mutating', 100, 20],
    [
      'DescribeVpcEndpointServiceConfigurations',
      { Filters: [{ Name: 'tag:a', Values: ['b'] }] },
      'non-mutating',
      100,
      20,
    ],
    ['DescribeNetworkInterfaces', { NetworkInterfaceIds: ['eni-1'] }, 'unfiltered non-mutating', 50, 10],
    ['DescribeNetworkInterfaces', { Filters: [{ Name: 'subnet-id', Values: ['subnet-1'] }] }, 'non-mutating', 100, 20],
    ['DescribeNetworkInterfaces', { MaxResults: 5 }, 'non-mutating', 100, 20],
    ['ModifyVpcEndpointServicePermissions', {}, 'mutating', 50, 5],
    ['AuthorizeSecurityGroupIngress', {}, 'resource-intensive', 50, 5],
    ['RevokeSecurityGroupIngress', {}, 'resource-intensive', 50, 5],
    ['CreateVpcEndpoint', {}, 'uncategorized', 4, 0.3],
    ['DeleteVpcEndpoints', {}, 'uncategorized', 4, 0.3],
    ['AcceptVpcEndpointConnections', {}, 'uncategorized', 10, 1],
    ['CreateTags', {}, 'uncategorized', 100, 10],
  ])('%s %j: %s, %i tokens, %d per second', (operation, input, category, capacity, refillPerSecond) => {
    expect(meteredCall(operation, input, 'us-east-1')).toMatchObject({
      category,
      bucket: { capacity, refillPerSecond },
    });
  });

  it('is one bucket per action and Region: the unfiltered calls of an action have their own', () => {
    const keys = [
      meteredCall('DescribeVpcEndpoints', {}, 'us-east-1').key,
      meteredCall('DescribeVpcEndpoints', {}, 'eu-west-1').key,
      meteredCall('DescribeVpcEndpointServices', {}, 'us-east-1').key,
      meteredCall('DescribeNetworkInterfaces', {}, 'us-east-1').key,
      meteredCall('DescribeNetworkInterfaces', { Filters: [{ Name: 'x', Values: ['y'] }] }, 'us-east-1').key,
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("takes a limit AWS raised for the account instead of the action's default, for that action only", () => {
    const raised = {
      CreateVpcEndpoint: { capacity: 4, refillPerSecond: 0.9 },
      DescribeNetworkInterfaces: { capacity: 300, refillPerSecond: 60 },
    };
    expect(meteredCall('CreateVpcEndpoint', {}, 'us-east-1', raised)).toEqual({
      category: 'uncategorized',
      bucket: { capacity: 4, refillPerSecond: 0.9 },
      key: 'us-east-1/CreateVpcEndpoint',
    });
    expect(meteredCall('DeleteVpcEndpoints', {}, 'us-east-1', raised).bucket).toEqual({
      capacity: 4,
      refillPerSecond: 0.3,
    });
    // the smaller bucket of unfiltered calls is a limit of its own
    expect(meteredCall('DescribeNetworkInterfaces', { MaxResults: 5 }, 'us-east-1', raised).bucket.capacity).toBe(300);
    expect(meteredCall('DescribeNetworkInterfaces', {}, 'us-east-1', raised).bucket.capacity).toBe(50);
  });

  it('refills continuously up to the capacity, and a refused call takes nothing', () => {
    const state: Ec2RateState = {};
    const call = meteredCall('CreateVpcEndpoint', {}, 'us-east-1');
    for (let i = 0; i < 4; i++) expect(takeEc2Token(state, call, 0)).toBe(true);
    expect(takeEc2Token(state, call, 0)).toBe(false);
    expect(takeEc2Token(state, call, 3_333)).toBe(false); // 0.9999 of a token
    expect(takeEc2Token(state, call, 3_334)).toBe(true);
    expect(takeEc2Token(state, call, 3_334)).toBe(false);
    // an hour later: full again, but never more than 4
    for (let i = 0; i < 4; i++) expect(takeEc2Token(state, call, 3_600_000)).toBe(true);
    expect(takeEc2Token(state, call, 3_600_000)).toBe(false);
    expect(CATEGORY_BUCKETS['non-mutating']).toEqual({ capacity: 100, refillPerSecond: 20 });
  });
});

describe('throttling through the SDK clients', () => {
  it('a burst of 100 DescribeVpcEndpoints passes, the 101st is RequestLimitExceeded; 20 more per second after', async () => {
    for (let i = 0; i < 100; i++) await describeEndpoints();
    await expectThrottled(describeEndpoints());
    sandbox.advance(0.05); // one token
    await describeEndpoints();
    await expectThrottled(describeEndpoints());
    sandbox.advance(1); // twenty tokens
    for (let i = 0; i < 20; i++) await describeEndpoints();
    await expectThrottled(describeEndpoints());
    expect(sandbox.callCounts().DescribeVpcEndpoints).toBe(124);
    expect(sandbox.throttledCounts()).toEqual({ DescribeVpcEndpoints: 3 });
  });

  it('CreateVpcEndpoint: 4 at once, then one every 3⅓ s; a throttled create creates nothing', async () => {
    for (let i = 0; i < 4; i++) await createEndpoint();
    await expectThrottled(createEndpoint());
    expect(sandbox.inventory().endpoints).toHaveLength(4);
    sandbox.advance(3);
    await expectThrottled(createEndpoint());
    sandbox.advance(0.4);
    await createEndpoint();
    expect(sandbox.inventory().endpoints).toHaveLength(5);
  });

  it('an account whose CreateVpcEndpoint limit AWS raised (seed ec2RequestLimits) refills at the raised rate', async () => {
    detach();
    const seed = await loadSeed(DEFAULT_SEED_PATH);
    sandbox = Sandbox.fromSeed({
      ...seed,
      timing: { ...seed.timing, ec2LatencyMs: 0, route53LatencyMs: 0 },
      ec2RequestLimits: { CreateVpcEndpoint: { capacity: 4, refillPerSecond: 0.9 } },
    });
    detach = sandbox.attach();
    for (let i = 0; i < 4; i++) await createEndpoint();
    await expectThrottled(createEndpoint());
    sandbox.advance(1.1); // 0.99 of a token
    await expectThrottled(createEndpoint());
    sandbox.advance(0.02);
    await createEndpoint();
    expect(sandbox.inventory().endpoints).toHaveLength(5);
  });

  it('buckets are independent: other actions, categories and Regions go on while one is empty', async () => {
    for (let i = 0; i < 100; i++) await describeEndpoints();
    await expectThrottled(describeEndpoints());
    // same category, another action
    await ec2().send(new DescribeVpcEndpointServicesCommand({}));
    // another category
    const { VpcEndpoint } = await createEndpoint();
    await ec2().send(
      new CreateTagsCommand({ Resources: [VpcEndpoint?.VpcEndpointId ?? ''], Tags: [{ Key: 'a', Value: 'b' }] }),
    );
    // another Region of the same account
    await describeEndpoints('eu-west-1');
    // Route 53 has its own limit
    await route53Client().send(new ListHostedZonesCommand({}));
    await expectThrottled(describeEndpoints());
  });

  it('DescribeNetworkInterfaces without filter or pagination takes from the smaller bucket (50, 10 per second)', async () => {
    const unfiltered = () => ec2().send(new DescribeNetworkInterfacesCommand({}));
    for (let i = 0; i < 50; i++) await unfiltered();
    await expectThrottled(unfiltered());
    await ec2().send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [VPC] }] }));
    sandbox.advance(0.1);
    await unfiltered();
  });

  it('keeps the buckets in the state file', async () => {
    for (let i = 0; i < 4; i++) await createEndpoint();
    const dir = await mkdtemp(join(tmpdir(), 'privatelink-ec2-rate-'));
    try {
      await sandbox.save(dir);
      detach();
      const loaded = await Sandbox.load(dir);
      if (!loaded) throw new Error('nothing saved');
      detach = loaded.attach();
      await expectThrottled(createEndpoint());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('latency and call counts per run', () => {
  it('with a pause installed, each call waits through it (EC2 0.1 s, Route 53 0.25 s) instead of moving the clock', async () => {
    detach();
    sandbox = await account(true);
    detach = sandbox.attach();
    const paused: number[] = [];
    const restore = sandbox.useLatency(async (ms) => {
      paused.push(ms);
    });
    const start = sandbox.clock.now();
    await describeEndpoints();
    await route53Client().send(new ListHostedZonesCommand({}));
    expect(paused).toEqual([100, 250]);
    expect(sandbox.clock.now()).toBe(start);
    // outside a run the pause answers undefined: the clock moves, as without one
    restore();
    sandbox.useLatency(() => undefined);
    await describeEndpoints();
    expect(sandbox.clock.now()).toBe(start + 100);
  });

  it('two runs at once on one scheduler: latency overlaps, and each run counts only its own calls', async () => {
    detach();
    sandbox = await account(true);
    detach = sandbox.attach();
    const scheduler = new SimScheduler(sandbox);
    sandbox.useLatency((ms) => (scheduler.inRun() ? scheduler.sleep(ms) : undefined));
    await describeEndpoints(); // before the runs: the account's, no run's
    const start = sandbox.clock.now();
    const run = (calls: number) =>
      scheduler.run(async () => {
        const before = sandbox.callCounts();
        for (let i = 0; i < calls; i++) await describeEndpoints();
        const after = sandbox.callCounts();
        return (after.DescribeVpcEndpoints ?? 0) - (before.DescribeVpcEndpoints ?? 0);
      });
    const [a, b] = await Promise.all([run(3), run(5)]);
    expect([a, b]).toEqual([3, 5]);
    // 5 calls of 0.1 s one after another in the longer run; the shorter run's 3 overlap with them
    expect(sandbox.clock.now() - start).toBe(500);
    expect(sandbox.callCounts().DescribeVpcEndpoints).toBe(9);
  });
});

describe('workflows on a throttled account', () => {
  let dir: string;
  let env: Environment;

  beforeEach(async () => {
    detach();
    dir = await mkdtemp(join(tmpdir(), 'privatelink-ec2-throttled-'));
    sandbox = await account(true);
    detach = sandbox.attach();
    env = {
      kind: 'sandbox',
      stateDir: dir,
      store: new FileExecutionStore(dir),
      sandbox,
      save: async () => undefined,
      close: async () => undefined,
    };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Request i of the replica-set example: its own id and names. */
  async function requests(n: number): Promise<ProvisionRequest[]> {
    const base = JSON.parse(await readFile('examples/atlas-replica-set.json', 'utf8'));
    return Array.from({ length: n }, (_, i) =>
      requireProvisionRequest({
        ...base,
        requestId: `throttled-${i}`,
        target: {
          ...base.target,
          host: `pl-${i}-us-east-1-k45tj.mongodb.net`,
          srvHost: `cluster${i}-pl-0-k45tj.mongodb.net`,
        },
      }),
    );
  }

  it('eight requests at once: CreateVpcEndpoint is throttled (4 at once), every request READY all the same, then DELETED, nothing left', async () => {
    // Removal spreads its deletes over passes with jitter; a DeleteVpcEndpoints bucket tighter than
    // AWS's default (as if other tools of the account drained it) makes its throttling certain.
    detach();
    sandbox = await account(true, { DeleteVpcEndpoints: { capacity: 1, refillPerSecond: 0.05 } });
    detach = sandbox.attach();
    env = { ...env, sandbox };
    const all = await requests(8);
    // started together: the start-up is a run of its own, so the clock waits until all have started
    const scheduler = schedulerFor(sandbox);
    const results = await scheduler.run(async () =>
      Promise.all(
        all.map(async (request) => {
          const start = await startProvision(env, request);
          if (start.kind !== 'started') throw new Error(`${request.requestId} did not start`);
          return { execution: start.execution };
        }),
      ),
    );
    const ended = await Promise.all(results.map((r) => r.execution));
    expect(ended.map((r) => r.status)).toEqual(all.map(() => 'READY'));
    expect(sandbox.throttledCounts().CreateVpcEndpoint ?? 0).toBeGreaterThan(0);

    const teardowns = await scheduler.run(async () =>
      Promise.all(
        all.map(async (request) => {
          const start = await startTeardown(env, request.requestId);
          return { execution: start.kind === 'started' ? start.execution : Promise.resolve(start.result) };
        }),
      ),
    );
    const removed = await Promise.all(teardowns.map((t) => t.execution));
    expect(removed.map((r) => r.status)).toEqual(all.map(() => 'DELETED'));
    expect(sandbox.throttledCounts().DeleteVpcEndpoints ?? 0).toBeGreaterThan(0);
    expect(sandbox.inventory().endpoints).toEqual([]);
    expect(sandbox.inventory().hostedZones).toEqual([]);
    // sixteen workflows' worth of steps: room for a busy machine (a limit, not a measured duration)
  }, 180_000);
  it('a teardown throttled far longer than the state machine retries (100 DeleteVpcEndpoints refused): DELETED, nothing left', async () => {
    const [request] = await requests(1);
    if (!request) throw new Error('no request');
    const up = await startProvision(env, request);
    if (up.kind !== 'started') throw new Error('not started');
    expect((await up.execution).status).toBe('READY');
    sandbox.addFault('DeleteVpcEndpoints:RequestLimitExceeded:100');
    const down = await startTeardown(env, request.requestId);
    const result = down.kind === 'started' ? await down.execution : down.result;
    expect(result.status).toBe('DELETED');
    expect(sandbox.callCounts().DeleteVpcEndpoints).toBe(101);
    expect(sandbox.inventory().endpoints).toEqual([]);
    expect(sandbox.inventory().hostedZones).toEqual([]);
  });
});
