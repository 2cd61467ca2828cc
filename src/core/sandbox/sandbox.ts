// The sandbox account: a simulated AWS account answering EC2 and Route 53 calls in-process, placed
// behind the very SDK clients the Lambdas use by a middleware at the `initialize` step, so no request
// is ever signed or sent; and the seed's simulated Atlas organization, answering the Atlas adapter's
// HTTP requests in-process through the Atlas transport. Its state (clock, ids, resources, call counts)
// persists in DIR/sandbox.json.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type {
  HandlerExecutionContext,
  InitializeHandlerArguments,
  InitializeMiddleware,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import { useAtlasCredentials } from '../atlas/credentials.ts';
import { useAtlasTransport } from '../atlas-transport.ts';
import { type AwsClient, onClientCreated, resetClients } from '../aws/clients.ts';
import { useClock } from '../clock.ts';
import type { Clock } from '../ports.ts';
import {
  ATLAS_OPERATIONS,
  type AtlasInventory,
  AtlasSim,
  type AtlasState,
  atlasRoute,
  emptyAtlasState,
  type PublicDnsRecord,
} from './atlas.ts';
import { FAULT_STATUS_CODES, faultAnswer } from './atlas-errors.ts';
import { atlasRegion } from './atlas-state.ts';
import { awsError, type SandboxTiming, type SimContext, type SimService } from './context.ts';
import { EC2_OPERATIONS, type Ec2Inventory, Ec2Sim, type Ec2State, type EndpointFate, emptyEc2State } from './ec2.ts';
import { type Ec2RateState, meteredCall, takeEc2Token } from './ec2-throttling.ts';
import { emptyRoute53State, Route53Sim, type Route53State } from './route53.ts';
import { parseSeed, type SandboxSeed, type SandboxSeedInput, serviceRegion } from './seed.ts';
import { SharedJsonFile } from './shared-state.ts';

export type Inventory = {
  endpoints: Ec2Inventory['endpoints'];
  endpointServices: Ec2Inventory['endpointServices'];
  hostedZones: { hostedZoneId: string; name: string; records: { name: string; type: string; values: string[] }[] }[];
  /** the seed's Atlas organization: its endpoint services, registered endpoints and public DNS records */
  atlas: AtlasInventory;
};

/**
 * Route 53 operations the sandbox answers (route53.ts keeps them in a private table; a test checks
 * this list against it).
 */
export const ROUTE53_OPERATIONS: readonly string[] = [
  'CreateHostedZone',
  'GetHostedZone',
  'ListHostedZones',
  'ListHostedZonesByName',
  'AssociateVPCWithHostedZone',
  'DisassociateVPCFromHostedZone',
  'ChangeTagsForResource',
  'ListTagsForResource',
  'ListTagsForResources',
  'ListResourceRecordSets',
  'ChangeResourceRecordSets',
  'GetChange',
  'DeleteHostedZone',
];

const STATE_FILE = 'sandbox.json';
const STATE_VERSION = 1;
const MIDDLEWARE_NAME = 'privatelinkSandbox';
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

/** What DIR/sandbox.json holds. */
interface SandboxFile {
  version: typeof STATE_VERSION;
  seed: SandboxSeed;
  clockMs: number;
  idCounter: number;
  ec2: Ec2State;
  route53: Route53State;
  /** absent in files written before the sandbox simulated Atlas: an organization with nothing created yet */
  atlas?: AtlasState;
  callCounts: Record<string, number>;
  /** EC2's request-rate buckets of the account (ec2-throttling.ts); absent in older files: all full */
  ec2Rate?: Ec2RateState;
  /** calls the account's rate limits refused (EC2's buckets, Route 53's five per second), by operation; not faults */
  throttled?: Record<string, number>;
}

/**
 * A run's view of the call counts (runScope): the account's counts when the run began plus the calls
 * made inside the run since, so that a run's before/after difference is its own calls whatever other
 * runs do meanwhile, and a lone run sees exactly the account's counts.
 */
interface RunCalls {
  base: Record<string, number>;
  own: Record<string, number>;
  parent?: RunCalls;
}

/** How a call's simulated latency passes for the calling run (the runner's pause), if it does. */
type LatencyPause = (ms: number) => Promise<void> | undefined;

interface Fault {
  operation: string;
  code: string;
  /** calls still to fail; undefined fails every call */
  remaining?: number;
}

interface Sims {
  ec2: Ec2Sim;
  route53: Route53Sim;
  atlas: AtlasSim;
}

interface AtlasFault {
  operation: string;
  status: number;
  remaining?: number;
}

const FAULT_SPEC = /^([A-Z][A-Za-z0-9]*):([A-Za-z][A-Za-z0-9.]*)(?::([1-9]\d*))?$/;
const ATLAS_FAULT_SPEC = /^atlas:([A-Za-z]+):(\d{3})(?::([1-9]\d*))?$/;
/** simulated time each Atlas call takes */
const ATLAS_LATENCY_MS = 200;
const CLIENT_SERVICES: Record<string, SimService> = { EC2Client: 'ec2', Route53Client: 'route53' };

export class Sandbox {
  readonly clock: Clock = { now: () => this.file.clockMs };
  readonly accountId: string;
  readonly timing: SandboxTiming;
  /** the simulated services over the current file, built again after adopting another process's state */
  private sims: Sims;
  /** Shared with other processes (`share`): every change is made under the file's lock against its latest revision. */
  private shared: SharedJsonFile<SandboxFile> | undefined;
  private revision = 0;
  private faults: Fault[] = [];
  private atlasFaults: AtlasFault[] = [];
  private endpointFates = new Set<EndpointFate>();
  private readonly clockListeners = new Set<(nowMs: number) => void>();
  private latencyPause: LatencyPause | undefined;
  private readonly runCalls = new AsyncLocalStorage<RunCalls>();

  private constructor(private file: SandboxFile) {
    this.accountId = file.seed.accountId;
    this.timing = file.seed.timing;
    this.sims = this.build();
  }

  private build(): Sims {
    const { file } = this;
    const ctx: SimContext = {
      accountId: this.accountId,
      timing: this.timing,
      now: () => this.file.clockMs,
      newId: (prefix, hexLength) => this.newId(prefix, hexLength),
    };
    const ec2 = new Ec2Sim(ctx, file.ec2, { seed: file.seed, endpointFate: () => this.endpointFate() });
    file.atlas ??= emptyAtlasState();
    return {
      ec2,
      route53: new Route53Sim(ctx, file.route53),
      atlas: new AtlasSim(ctx, file.atlas, file.seed.atlas, ec2, (region) => atlasZones(file.seed, region)),
    };
  }

  /**
   * From now on the account is shared through DIR/sandbox.json with every other process using DIR:
   * each call, vendor act and save takes the file's lock, first adopts a newer revision another process
   * wrote, then writes its change as the next revision. The clock only moves forward, so of two clocks
   * the later wins (this process's waits move it between calls without a write).
   */
  share(dir: string): void {
    this.shared = new SharedJsonFile<SandboxFile>(dir, STATE_FILE);
  }

  private async transact<T>(change: () => T | Promise<T>): Promise<T> {
    const shared = this.shared;
    if (!shared) return change();
    return shared.withLock(async () => {
      const newer = await shared.readIfNewer(this.revision);
      if (newer) this.adopt(newer.data, newer.revision);
      const result = await change();
      this.revision = await shared.write(this.file, this.revision);
      return result;
    });
  }

  /**
   * Whether `endpointId` waits for a person: a vendor's acceptance that nothing in the sandbox gives on
   * its own (no `vendorAcceptsAfterSeconds`), so only `sandbox vendor accept|reject` moves it on.
   */
  waitsForPerson(endpointId: string): boolean {
    const endpoint = this.file.ec2.endpoints.find((e) => e.endpointId === endpointId);
    return (
      endpoint !== undefined &&
      endpoint.acceptance === 'vendor' &&
      endpoint.acceptedAt === undefined &&
      endpoint.rejectedAt === undefined &&
      endpoint.deletedAt === undefined &&
      endpoint.vendorAcceptsAt === undefined &&
      endpoint.fate === undefined
    );
  }

  /**
   * Resolves once another process changed the shared account (a vendor acted, the clock was advanced),
   * having adopted that change; or when `signal` aborts. Polls every `pollMs` of real time.
   */
  async untilChangedElsewhere(signal?: AbortSignal, pollMs = 200): Promise<void> {
    const shared = this.shared;
    if (!shared) return;
    while (!signal?.aborted) {
      const newer = await shared.readIfNewer(this.revision);
      if (newer) {
        await shared.withLock(async () => {
          const latest = await shared.readIfNewer(this.revision);
          if (latest) this.adopt(latest.data, latest.revision);
        });
        return;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, pollMs);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  private adopt(data: SandboxFile, revision: number): void {
    const clockMs = Math.max(this.file.clockMs, data.clockMs);
    this.file = { ...data, clockMs, seed: this.file.seed, callCounts: data.callCounts ?? {} };
    this.revision = revision;
    this.sims = this.build();
  }

  /** A fresh account from a seed (validated here, so a raw seed file's content works too). */
  static fromSeed(seed: SandboxSeedInput, options: { epochMs?: number } = {}): Sandbox {
    return new Sandbox({
      version: STATE_VERSION,
      seed: parseSeed(seed),
      clockMs: options.epochMs ?? DEFAULT_EPOCH_MS,
      idCounter: 0,
      ec2: emptyEc2State(),
      route53: emptyRoute53State(),
      atlas: emptyAtlasState(),
      callCounts: {},
    });
  }

  /** The account saved in DIR, or undefined when DIR holds none. */
  static async load(dir: string): Promise<Sandbox | undefined> {
    const path = join(dir, STATE_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let file: SandboxFile;
    try {
      file = JSON.parse(text) as SandboxFile;
    } catch (error) {
      throw new Error(`${path} is not a sandbox state file: ${(error as Error).message}`);
    }
    if (file?.version !== STATE_VERSION || typeof file.clockMs !== 'number' || !file.ec2 || !file.route53)
      throw new Error(`${path} is not a sandbox state file of version ${STATE_VERSION}; delete it to start afresh`);
    const { revision, ...rest } = file as SandboxFile & { revision?: number };
    const sandbox = new Sandbox({ ...rest, seed: parseSeed(file.seed, path), callCounts: file.callCounts ?? {} });
    sandbox.revision = typeof revision === 'number' ? revision : 0;
    return sandbox;
  }

  /** Writes DIR/sandbox.json atomically (a temporary file renamed over it); shared, as the next revision under the lock. */
  async save(dir: string): Promise<void> {
    if (this.shared && resolve(this.shared.dir) === resolve(dir)) return this.transact(() => undefined);
    await mkdir(dir, { recursive: true });
    const path = join(dir, STATE_FILE);
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.file, null, 2)}\n`, 'utf8');
    await rename(temporary, path);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`cannot advance the sandbox clock by ${seconds}s`);
    // whole milliseconds, so 1.1 s does not drift into 1100.0000000000002 ms
    this.file.clockMs += Math.round(seconds * 1000);
    for (const listener of [...this.clockListeners]) listener(this.file.clockMs);
  }

  /** Calls `listener` with the new time after every advance() (e.g. a wait with a deadline); returns an unsubscribe. */
  onClockAdvance(listener: (nowMs: number) => void): () => void {
    this.clockListeners.add(listener);
    return () => this.clockListeners.delete(listener);
  }

  /**
   * `OPERATION:ERRORCODE[:COUNT]`, `atlas:OPERATION:STATUS[:COUNT]`, `endpoint:failed` or `endpoint:rejected`
   * (the CLI's --fault). An operation the sandbox does not answer is refused, so a typo never passes for
   * a tested failure.
   */
  addFault(spec: string): void {
    if (spec === 'endpoint:failed' || spec === 'endpoint:rejected') {
      this.endpointFates.add(spec === 'endpoint:failed' ? 'failed' : 'rejected');
      return;
    }
    if (spec.startsWith('atlas:')) {
      this.atlasFaults.push(parseAtlasFault(spec));
      return;
    }
    const match = FAULT_SPEC.exec(spec);
    if (!match?.[1] || !match[2])
      throw new Error(
        `invalid fault "${spec}": expected OPERATION:ERRORCODE[:COUNT] (e.g. CreateVpcEndpoint:VpcEndpointLimitExceeded, ChangeResourceRecordSets:Throttling:3), atlas:OPERATION:STATUS[:COUNT] (e.g. atlas:getCluster:429:2), endpoint:failed or endpoint:rejected`,
      );
    if (!EC2_OPERATIONS.includes(match[1]) && !ROUTE53_OPERATIONS.includes(match[1]))
      throw new Error(
        `invalid fault "${spec}": the sandbox answers no operation ${match[1]}; EC2: ${EC2_OPERATIONS.join(', ')}; Route 53: ${ROUTE53_OPERATIONS.join(', ')}`,
      );
    this.faults.push({
      operation: match[1],
      code: match[2],
      ...(match[3] !== undefined && { remaining: Number(match[3]) }),
    });
  }

  clearFaults(): void {
    this.faults = [];
    this.atlasFaults = [];
    this.endpointFates.clear();
  }

  /** The account's call counts; inside a run (runScope), the run's view of them (RunCalls). */
  callCounts(): Record<string, number> {
    const run = this.runCalls.getStore();
    if (!run) return { ...this.file.callCounts };
    const view = { ...run.base };
    for (const [op, n] of Object.entries(run.own)) view[op] = (view[op] ?? 0) + n;
    return view;
  }

  /**
   * Runs `fn` as one run of the account (the scheduler calls this for each run): calls made inside are
   * attributed to it (and to the runs it is nested in) as well as counted for the account.
   */
  runScope<T>(fn: () => Promise<T>): Promise<T> {
    const parent = this.runCalls.getStore();
    return this.runCalls.run({ base: this.callCounts(), own: {}, ...(parent && { parent }) }, fn);
  }

  /**
   * From now on each call's simulated latency passes through `pause` (the runner's: the calling run
   * waits on the shared clock, outside the account's lock, while the other runs go on); where `pause`
   * answers undefined (outside a run) the clock moves by it, as without. Returns the restore.
   */
  useLatency(pause: LatencyPause): () => void {
    const previous = this.latencyPause;
    this.latencyPause = pause;
    return () => {
      this.latencyPause = previous;
    };
  }

  /** The latency of one call: paused by the calling run when a pause is installed, else 0 here and charged in the call. */
  private async passLatency(ms: number): Promise<number> {
    const paused = ms > 0 ? this.latencyPause?.(ms) : undefined;
    if (!paused) return ms;
    await paused;
    return 0;
  }

  private count(counted: string): void {
    this.file.callCounts[counted] = (this.file.callCounts[counted] ?? 0) + 1;
    for (let run = this.runCalls.getStore(); run; run = run.parent) run.own[counted] = (run.own[counted] ?? 0) + 1;
  }

  resetCallCounts(): void {
    this.file.callCounts = {};
  }

  /** How many calls the account's rate limits refused, by operation (already among callCounts; faults are not). */
  throttledCounts(): Record<string, number> {
    return { ...this.file.throttled };
  }

  private countThrottled(operation: string): void {
    this.file.throttled ??= {};
    this.file.throttled[operation] = (this.file.throttled[operation] ?? 0) + 1;
  }

  inventory(): Inventory {
    const ec2 = this.sims.ec2.inventory();
    return {
      endpoints: ec2.endpoints,
      endpointServices: ec2.endpointServices,
      hostedZones: this.sims.route53.inventory(),
      atlas: this.sims.atlas.inventory(),
    };
  }

  /**
   * What the public DNS answers for the sandbox's names: Atlas's records (seedlist SRV and TXT, the
   * pl- CNAMEs) and, as AWS publishes them, each interface endpoint's DNS name → its ENI private IPs.
   */
  publicDns(): PublicDnsRecord[] {
    const records = [...this.sims.atlas.dnsRecords()];
    // The account's endpoints, and the other parties' ones Atlas knows (a hand-off partner's, which its CNAMEs lead to).
    const ids = new Set([
      ...this.sims.ec2.inventory().endpoints.map((e) => e.endpointId),
      ...this.sims.atlas.registeredEndpointIds(),
    ]);
    for (const endpointId of ids) {
      const view = this.sims.ec2.endpointView(endpointId);
      if (!view?.dnsName || view.privateIpAddresses.length === 0 || view.state === 'deleting') continue;
      records.push({ name: view.dnsName, type: 'A', values: [...view.privateIpAddresses] });
    }
    return records.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
  }

  /** Plays a vendor: accepts or rejects a pending endpoint on one of its services (`sandbox vendor`). */
  vendorDecide(
    endpointId: string,
    decision: 'accept' | 'reject',
  ): Promise<{ endpointId: string; serviceId: string; state: string }> {
    return this.transact(() => this.sims.ec2.vendorDecide(endpointId, decision));
  }

  /**
   * Plays the other party of a hand-off (`sandbox consumer create-endpoint`): an endpoint from its
   * account to `serviceName`, in the seed VPC of that account in the service's region unless `vpcId` says.
   */
  createConsumerEndpoint(args: {
    accountId: string;
    vpcId?: string;
    subnetIds?: string[];
    serviceName: string;
  }): Promise<{ endpointId: string; dnsName?: string }> {
    return this.transact(() => {
      const { endpointId } = this.consumerEndpoint(args);
      const dnsName = this.sims.ec2.endpointView(endpointId)?.dnsName;
      return { endpointId, ...(dnsName && { dnsName }) };
    });
  }

  private consumerEndpoint(args: { accountId: string; vpcId?: string; subnetIds?: string[]; serviceName: string }): {
    endpointId: string;
  } {
    const region = serviceRegion(args.serviceName);
    const vpcId =
      args.vpcId ??
      this.file.seed.vpcs.find((v) => (v.accountId ?? this.accountId) === args.accountId && v.region === region)?.vpcId;
    if (!vpcId)
      throw new Error(
        `the sandbox seed has no VPC of account ${args.accountId} in ${region ?? `the region of ${args.serviceName}`}`,
      );
    return this.sims.ec2.createEndpointAs(args.accountId, {
      vpcId,
      serviceName: args.serviceName,
      ...(args.subnetIds && { subnetIds: args.subnetIds }),
    });
  }

  /**
   * One Atlas HTTP request, answered in-process by the simulated organization (no socket): the
   * simulated latency passes, the call is counted as `atlas:<operation>`, a matching fault answers
   * its status with Atlas's error body, otherwise the organization answers.
   */
  async atlasFetch(url: string, init: RequestInit = {}): Promise<Response> {
    const request = new Request(url, init);
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const path = new URL(request.url).pathname;
    const route = atlasRoute(request.method, path);
    const operation = route.kind === 'operation' ? route.operation : 'unknown';
    const latencyMs = await this.passLatency(ATLAS_LATENCY_MS);
    const answer = await this.transact(() =>
      this.answerAtlas(request.method, path, request.headers, body, operation, latencyMs),
    );
    return new Response(answer.status === 204 ? null : (answer.body ?? null), {
      status: answer.status,
      headers: answer.headers,
    });
  }

  private answerAtlas(
    method: string,
    path: string,
    headers: Headers,
    body: string,
    operation: string,
    latencyMs: number,
  ): ReturnType<AtlasSim['handle']> {
    this.file.clockMs += latencyMs;
    this.count(`atlas:${operation}`);
    const fault = this.atlasFaults.find(
      (f) => f.operation === operation && (f.remaining === undefined || f.remaining > 0),
    );
    if (fault) {
      if (fault.remaining !== undefined) fault.remaining -= 1;
      return faultAnswer(operation, fault.status, path, requestedRegion(body));
    }
    return this.sims.atlas.handle({ method, path, headers, body });
  }

  /**
   * One AWS call: the simulated latency passes, the call is counted, a matching fault fails it,
   * otherwise the service answers. Inputs and outputs are copied so callers never share state.
   */
  async handle(service: SimService, operation: string, input: unknown, region = 'us-east-1'): Promise<unknown> {
    // Operation names are PascalCase API actions; anything else is no call AWS would answer (nor count).
    if (!/^[A-Z][A-Za-z0-9]*$/.test(operation))
      throw awsError(service, 'UnsupportedOperation', `The sandbox does not simulate ${service} ${operation}`);
    const latencyMs = await this.passLatency(
      service === 'ec2' ? this.timing.ec2LatencyMs : this.timing.route53LatencyMs,
    );
    return this.transact(() => this.answerAws(service, operation, input, region, latencyMs));
  }

  private answerAws(
    service: SimService,
    operation: string,
    input: unknown,
    region: string,
    latencyMs: number,
  ): unknown {
    this.file.clockMs += latencyMs;
    this.count(operation);
    const fault = this.faults.find((f) => f.operation === operation && (f.remaining === undefined || f.remaining > 0));
    if (fault) {
      if (fault.remaining !== undefined) fault.remaining -= 1;
      throw awsError(service, fault.code, `simulated by the sandbox fault ${operation}:${fault.code}`);
    }
    // EC2's buckets per action (Route 53's account limit is inside its simulation): a throttled call is
    // counted and took its latency, as in AWS, and changes nothing.
    if (service === 'ec2' && EC2_OPERATIONS.includes(operation)) {
      this.file.ec2Rate ??= {};
      if (
        !takeEc2Token(
          this.file.ec2Rate,
          meteredCall(operation, input, region, this.file.seed.ec2RequestLimits),
          this.file.clockMs,
        )
      ) {
        this.countThrottled(operation);
        throw awsError('ec2', 'RequestLimitExceeded', 'Request limit exceeded.');
      }
    }
    const copy = structuredClone(input ?? {});
    let output: unknown;
    try {
      output =
        service === 'ec2' ? this.sims.ec2.handle(operation, copy, region) : this.sims.route53.handle(operation, copy);
    } catch (error) {
      if (service === 'route53' && (error as Error).name === 'Throttling') this.countThrottled(operation);
      throw error;
    }
    return {
      ...structuredClone(output as object),
      $metadata: { httpStatusCode: 200, requestId: 'sandbox', attempts: 1, totalRetryDelay: 0 },
    };
  }

  /** Puts the sandbox behind every SDK client from src/core/aws/clients.ts and its clock behind `clock`. */
  attach(): () => void {
    const attached = new Set<AwsClient>();
    const unhook = onClientCreated((client) => {
      // Both clients' stacks take the same middleware; their union type just cannot say so.
      const stack = client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>;
      stack.add(this.middleware(client), {
        step: 'initialize',
        name: MIDDLEWARE_NAME,
        priority: 'high',
        override: true,
      });
      attached.add(client);
    });
    // Waits inside a call (an adapter honouring Retry-After) move the simulated clock instead of sleeping.
    const restoreClock = useClock({
      now: () => this.file.clockMs,
      sleep: async (ms: number) => this.advance(Math.max(0, ms) / 1000),
    });
    const restoreTransport = useAtlasTransport((url, init) => this.atlasFetch(url, init));
    const restoreCredentials = useAtlasCredentials(async () => {
      const account = this.file.seed.atlas?.serviceAccount;
      if (!account) throw new Error('the sandbox seed has no atlas organization, so no Atlas service account');
      return { clientId: account.clientId, clientSecret: account.clientSecret };
    });
    return () => {
      unhook();
      restoreCredentials();
      restoreTransport();
      restoreClock();
      for (const client of attached) client.middlewareStack.remove(MIDDLEWARE_NAME);
      resetClients();
    };
  }

  private middleware(client: AwsClient): InitializeMiddleware<object, MetadataBearer> {
    return (_next, context: HandlerExecutionContext) => async (args: InitializeHandlerArguments<object>) => {
      const clientName = context.clientName ?? '';
      const service = Object.hasOwn(CLIENT_SERVICES, clientName) ? CLIENT_SERVICES[clientName] : undefined;
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (!service) throw new Error(`the sandbox cannot answer ${context.clientName ?? 'an unknown client'}`);
      const region = await client.config.region();
      const output = await this.handle(service, operation, args.input, region);
      return { output: output as MetadataBearer, response: {} };
    };
  }

  private endpointFate(): EndpointFate | undefined {
    if (this.endpointFates.has('rejected')) return 'rejected';
    return this.endpointFates.has('failed') ? 'failed' : undefined;
  }

  /** Deterministic ids: a persisted counter hashed with the account id. */
  private newId(prefix: string, hexLength: number): string {
    this.file.idCounter += 1;
    const digest = createHash('sha256').update(`${this.accountId}:${prefix}:${this.file.idCounter}`).digest('hex');
    return `${prefix}-${digest.slice(0, hexLength)}`;
  }
}

function parseAtlasFault(spec: string): AtlasFault {
  const match = ATLAS_FAULT_SPEC.exec(spec);
  if (!match?.[1] || !match[2])
    throw new Error(`invalid fault "${spec}": expected atlas:OPERATION:STATUS[:COUNT], e.g. atlas:getCluster:429:2`);
  const [, operation, status] = match;
  if (!(ATLAS_OPERATIONS as readonly string[]).includes(operation))
    throw new Error(
      `invalid fault "${spec}": Atlas has no operation ${operation} in the sandbox; operations: ${ATLAS_OPERATIONS.join(', ')}`,
    );
  if (!Object.hasOwn(FAULT_STATUS_CODES, status))
    throw new Error(
      `invalid fault "${spec}": ${status} is not a status Atlas documents for these calls; statuses: ${Object.keys(FAULT_STATUS_CODES).join(', ')}`,
    );
  return { operation, status: Number(status), ...(match[3] !== undefined && { remaining: Number(match[3]) }) };
}

/** The region of a create-endpoint-service body, Atlas-style, for the 409 a fault answers. */
function requestedRegion(body: string): string | undefined {
  try {
    const region = (JSON.parse(body) as { region?: unknown }).region;
    return typeof region === 'string' ? atlasRegion(region.replace(/_/g, '-').toLowerCase()) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The zones of Atlas's AWS services in a region: those the seed's subnets use there (the EC2 simulation's
 * default), or a, b and c where the seed has none, since Atlas serves regions the consumer may not use yet.
 */
function atlasZones(seed: SandboxSeed, region: string): string[] | undefined {
  const used = seed.vpcs.some((v) => v.region === region);
  return used ? undefined : ['a', 'b', 'c'].map((letter) => `${region}${letter}`);
}
