// A sandbox directory for the vendor workflows (Atlas, Pinecone, hand-offs): the default seed, edited
// per test, the CLI run in-process against it, the full inventory (with Atlas's organization), and
// Atlas's own answers read straight from the simulated organization, so a test compares the
// workflow's result with what Atlas says rather than with strings written into the test.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { parseSeed, Sandbox } from '../../src/core/sandbox/index.ts';
import { type CliRun, runCli } from './cli.ts';

export interface FullInventory {
  endpoints: {
    endpointId: string;
    state: string;
    tags: Record<string, string>;
    dnsName?: string;
    privateIpAddresses?: string[];
  }[];
  endpointServices: { serviceId: string; serviceName: string; state: string; tags: Record<string, string> }[];
  hostedZones: { hostedZoneId: string; name: string; records: { name: string; type: string; values: string[] }[] }[];
  atlas: {
    endpointServices: {
      projectId: string;
      id: string;
      regionName: string;
      status: string;
      endpointServiceName: string | null;
      interfaceEndpoints: string[];
    }[];
    endpoints: {
      projectId: string;
      endpointServiceId: string;
      interfaceEndpointId: string;
      connectionStatus: string;
    }[];
    dnsRecords: { name: string; type: string; values: string[] }[];
  };
}

export type Seed = Record<string, unknown> & {
  accountId: string;
  endpointServices: Record<string, unknown>[];
  atlas: Record<string, unknown> & { timing?: Record<string, number> };
  timing?: Record<string, number>;
};

export interface VendorSandbox {
  /** the state directory (--sandbox-state) */
  dir: string;
  /** the seed file (--sandbox-seed) */
  seedFile: string;
  seed: Seed;
  /** a scratch directory for request files */
  scratch: string;
  cli(argv: string[]): Promise<CliRun>;
  provision(request: string | object, extra?: string[]): Promise<CliRun & { result: ProvisionResult }>;
  teardown(requestId: string, extra?: string[]): Promise<CliRun & { result: ProvisionResult }>;
  status(requestId: string): Promise<CliRun & { result: ProvisionResult }>;
  inventory(): Promise<FullInventory>;
  /** writes a request object to a file in the scratch directory and returns its path */
  requestFile(request: object, name?: string): Promise<string>;
  cleanup(): Promise<void>;
}

const ROOT = new URL('../../', import.meta.url);

export async function readExample(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(new URL(`examples/${name}`, ROOT), 'utf8'));
}

function parsed(run: CliRun): CliRun & { result: ProvisionResult } {
  let result: ProvisionResult;
  try {
    result = JSON.parse(run.stdout || '{}') as ProvisionResult;
  } catch {
    throw new Error(`not a JSON result (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { ...run, result };
}

/** A fresh sandbox from examples/sandbox-seed.json, after `edit` changed the seed. */
export async function vendorSandbox(edit: (seed: Seed) => void = () => {}): Promise<VendorSandbox> {
  const scratch = await mkdtemp(join(tmpdir(), 'privatelink-vendor-'));
  const seed = JSON.parse(await readFile(new URL('examples/sandbox-seed.json', ROOT), 'utf8')) as Seed;
  edit(seed);
  const seedFile = join(scratch, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seed));
  const dir = join(scratch, 'state');
  const cli = (argv: string[]) => runCli([...argv, '--sandbox-state', dir, '--sandbox-seed', seedFile]);
  let files = 0;
  const requestFile = async (request: object, name = `request-${++files}.json`) => {
    const file = join(scratch, name);
    await writeFile(file, JSON.stringify(request));
    return file;
  };
  return {
    dir,
    seedFile,
    seed,
    scratch,
    cli,
    async provision(request, extra = []) {
      const file =
        typeof request === 'string'
          ? request.includes('/')
            ? request
            : `examples/${request}`
          : await requestFile(request);
      return parsed(await cli(['provision', '--request', file, '--json', ...extra]));
    },
    async teardown(requestId, extra = []) {
      return parsed(await cli(['teardown', '--request-id', requestId, '--json', ...extra]));
    },
    async status(requestId) {
      return parsed(await cli(['status', '--request-id', requestId, '--json']));
    },
    async inventory() {
      const run = await cli(['sandbox', 'inventory', '--json']);
      if (run.code !== 0) throw new Error(`sandbox inventory failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as FullInventory;
    },
    requestFile,
    cleanup: () => rm(scratch, { recursive: true, force: true }),
  };
}

const PRIVATE_ENDPOINT_TYPE = 'application/vnd.atlas.2023-01-01+json';
const CLUSTER_TYPE = 'application/vnd.atlas.2024-08-05+json';

export interface AtlasPrivateEndpointEntry {
  connectionString?: string;
  srvConnectionString?: string;
  srvShardOptimizedConnectionString?: string;
  type?: string;
  endpoints: { endpointId: string; providerName: string; region: string }[];
}

/**
 * Atlas's own answers, asked of the simulated organization as the saved sandbox holds it (a copy
 * loaded from the state directory and never saved, so the test changes nothing): a token, then GETs.
 */
export async function atlasReader(dir: string, seed: Seed) {
  const sandbox = await Sandbox.load(dir);
  if (!sandbox) throw new Error(`no sandbox saved in ${dir}`);
  const account = parseSeed(seed).atlas?.serviceAccount;
  if (!account) throw new Error('the seed has no Atlas organization');
  const basic = Buffer.from(`${account.clientId}:${account.clientSecret}`).toString('base64');
  const tokenResponse = await sandbox.atlasFetch('https://cloud.mongodb.com/api/oauth/token', {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const get = async (path: string, accept: string) => {
    const response = await sandbox.atlasFetch(`https://cloud.mongodb.com${path}`, {
      headers: { authorization: `Bearer ${token}`, accept },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return {
    async cluster(projectId: string, name: string) {
      const { status, body } = await get(`/api/atlas/v2/groups/${projectId}/clusters/${name}`, CLUSTER_TYPE);
      if (status !== 200) throw new Error(`GET cluster ${name}: ${status} ${JSON.stringify(body)}`);
      const strings = body.connectionStrings as { privateEndpoint?: AtlasPrivateEndpointEntry[] };
      return { stateName: String(body.stateName), privateEndpoint: strings.privateEndpoint ?? [] };
    },
    /** the cluster's privateEndpoint[] entry whose endpoints[].endpointId is `endpointId` */
    async entryFor(projectId: string, name: string, endpointId: string) {
      const cluster = await this.cluster(projectId, name);
      return cluster.privateEndpoint.find((e) => e.endpoints.some((x) => x.endpointId === endpointId));
    },
    async endpointServices(projectId: string) {
      const response = await sandbox.atlasFetch(
        `https://cloud.mongodb.com/api/atlas/v2/groups/${projectId}/privateEndpoint/AWS/endpointService`,
        { headers: { authorization: `Bearer ${token}`, accept: PRIVATE_ENDPOINT_TYPE } },
      );
      return (await response.json()) as { id: string; status: string; interfaceEndpoints: string[] }[];
    },
  };
}

/** Polls `read` until `done` (at most ~10 s of wall time), for what another process or run does. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 400; i++) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} never happened; last saw ${JSON.stringify(last)}`);
}

/** The host of a mongodb / mongodb+srv string (the first seed of a standard one). */
export function hostOf(uri: string): string {
  const rest = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  return (rest.split(/[/?]/)[0] ?? '').split(',')[0]?.split(':')[0] ?? '';
}

/** The ports of a standard string's seeds. */
export function portsOf(uri: string): number[] {
  const hosts = uri.replace(/^mongodb:\/\//, '').split(/[/?]/)[0] ?? '';
  return hosts.split(',').map((h) => Number(h.split(':')[1]));
}
