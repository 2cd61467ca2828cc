// The sandbox account: a simulated AWS account answering EC2 and Route 53 calls in-process, placed
// behind the very SDK clients the Lambdas use by a middleware at the `initialize` step, so no request
// is ever signed or sent. Its state (clock, ids, resources, call counts) persists in DIR/sandbox.json.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  HandlerExecutionContext,
  InitializeHandlerArguments,
  InitializeMiddleware,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import { type AwsClient, onClientCreated, resetClients } from '../aws/clients.ts';
import { useClock } from '../clock.ts';
import type { Clock } from '../ports.ts';
import { awsError, type SandboxTiming, type SimContext, type SimService } from './context.ts';
import { Ec2Sim, type Ec2State, type EndpointFate, emptyEc2State } from './ec2.ts';
import { emptyRoute53State, Route53Sim, type Route53State } from './route53.ts';
import { parseSeed, type SandboxSeed, type SandboxSeedInput } from './seed.ts';

export type Inventory = {
  endpoints: { endpointId: string; state: string; tags: Record<string, string> }[];
  endpointServices: { serviceId: string; serviceName: string; state: string; tags: Record<string, string> }[];
  hostedZones: { hostedZoneId: string; name: string; records: { name: string; type: string; values: string[] }[] }[];
};

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
  callCounts: Record<string, number>;
}

interface Fault {
  operation: string;
  code: string;
  /** calls still to fail; undefined fails every call */
  remaining?: number;
}

const FAULT_SPEC = /^([A-Z][A-Za-z0-9]*):([A-Za-z][A-Za-z0-9.]*)(?::([1-9]\d*))?$/;
const CLIENT_SERVICES: Record<string, SimService> = { EC2Client: 'ec2', Route53Client: 'route53' };

export class Sandbox {
  readonly clock: Clock = { now: () => this.file.clockMs };
  readonly accountId: string;
  readonly timing: SandboxTiming;
  private readonly ec2: Ec2Sim;
  private readonly route53: Route53Sim;
  private faults: Fault[] = [];
  private endpointFates = new Set<EndpointFate>();
  private readonly clockListeners = new Set<(nowMs: number) => void>();

  private constructor(private readonly file: SandboxFile) {
    this.accountId = file.seed.accountId;
    this.timing = file.seed.timing;
    const ctx: SimContext = {
      accountId: this.accountId,
      timing: this.timing,
      now: () => this.file.clockMs,
      newId: (prefix, hexLength) => this.newId(prefix, hexLength),
    };
    this.ec2 = new Ec2Sim(ctx, file.ec2, { seed: file.seed, endpointFate: () => this.endpointFate() });
    this.route53 = new Route53Sim(ctx, file.route53);
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
    return new Sandbox({ ...file, seed: parseSeed(file.seed, path), callCounts: file.callCounts ?? {} });
  }

  /** Writes DIR/sandbox.json atomically (a temporary file renamed over it). */
  async save(dir: string): Promise<void> {
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

  /** `OPERATION:ERRORCODE[:COUNT]`, `endpoint:failed` or `endpoint:rejected` (the CLI's --fault). */
  addFault(spec: string): void {
    if (spec === 'endpoint:failed' || spec === 'endpoint:rejected') {
      this.endpointFates.add(spec === 'endpoint:failed' ? 'failed' : 'rejected');
      return;
    }
    const match = FAULT_SPEC.exec(spec);
    if (!match?.[1] || !match[2])
      throw new Error(
        `invalid fault "${spec}": expected OPERATION:ERRORCODE[:COUNT] (e.g. CreateVpcEndpoint:VpcEndpointLimitExceeded, ChangeResourceRecordSets:Throttling:3), endpoint:failed or endpoint:rejected`,
      );
    this.faults.push({
      operation: match[1],
      code: match[2],
      ...(match[3] !== undefined && { remaining: Number(match[3]) }),
    });
  }

  clearFaults(): void {
    this.faults = [];
    this.endpointFates.clear();
  }

  callCounts(): Record<string, number> {
    return { ...this.file.callCounts };
  }

  resetCallCounts(): void {
    this.file.callCounts = {};
  }

  inventory(): Inventory {
    const ec2 = this.ec2.inventory();
    return { endpoints: ec2.endpoints, endpointServices: ec2.endpointServices, hostedZones: this.route53.inventory() };
  }

  /**
   * One AWS call: the simulated latency passes, the call is counted, a matching fault fails it,
   * otherwise the service answers. Inputs and outputs are copied so callers never share state.
   */
  async handle(service: SimService, operation: string, input: unknown, region = 'us-east-1'): Promise<unknown> {
    // Operation names are PascalCase API actions; anything else is no call AWS would answer (nor count).
    if (!/^[A-Z][A-Za-z0-9]*$/.test(operation))
      throw awsError(service, 'UnsupportedOperation', `The sandbox does not simulate ${service} ${operation}`);
    this.file.clockMs += service === 'ec2' ? this.timing.ec2LatencyMs : this.timing.route53LatencyMs;
    this.file.callCounts[operation] = (this.file.callCounts[operation] ?? 0) + 1;
    const fault = this.faults.find((f) => f.operation === operation && (f.remaining === undefined || f.remaining > 0));
    if (fault) {
      if (fault.remaining !== undefined) fault.remaining -= 1;
      throw awsError(service, fault.code, `simulated by the sandbox fault ${operation}:${fault.code}`);
    }
    const copy = structuredClone(input ?? {});
    const output = service === 'ec2' ? this.ec2.handle(operation, copy, region) : this.route53.handle(operation, copy);
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
    const restoreClock = useClock(this.clock);
    return () => {
      unhook();
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
