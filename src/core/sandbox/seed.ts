// The sandbox seed file (contract: "The seed file"): the account's VPCs, subnets, security groups,
// load balancers and the vendors' endpoint services, which the simulated APIs never create; VPCs of
// other accounts (the other party of a hand-off); and the simulated Atlas organization (`atlas`).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AWS_REGIONS } from '../domain/regions.ts';
import { SecurityGroupId, SubnetId, VpcId, zodIssues } from '../domain/request.ts';
import type { FieldIssue } from '../errors.ts';
import { DEFAULT_TIMING, type SandboxTiming } from './context.ts';
import { EC2_OPERATIONS } from './ec2.ts';
import { PRINCIPAL } from './ec2-principals.ts';
import { cidrContains, cidrsOverlap, parseCidr } from './sandbox-net.ts';

export const DEFAULT_SEED_PATH = fileURLToPath(new URL('../../../examples/sandbox-seed.json', import.meta.url));

const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
// AWS accepts VPC and subnet blocks between /16 and /28.
const Cidr = z
  .string()
  .refine((s) => parseCidr(s) !== undefined, 'must be an IPv4 CIDR block with zero host bits, e.g. 10.0.0.0/16')
  .refine((s) => {
    const prefix = parseCidr(s)?.prefix ?? 0;
    return prefix >= 16 && prefix <= 28;
  }, 'must have a prefix between /16 and /28, as AWS requires');
const AvailabilityZone = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'must be a zone name such as us-east-1a');
const NLB_ARN =
  /^arn:aws(-cn|-us-gov)?:elasticloadbalancing:([a-z0-9-]+):(\d{12}):loadbalancer\/net\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
const SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.vpce-svc-([0-9a-f]{8}|[0-9a-f]{17})$/;

const Subnet = z.strictObject({ subnetId: SubnetId, cidr: Cidr, availabilityZone: AvailabilityZone });
const Vpc = z.strictObject({
  vpcId: VpcId,
  region: z.enum(AWS_REGIONS, 'must be an AWS region name such as us-east-1'),
  cidr: Cidr,
  subnets: z.array(Subnet).min(1),
  securityGroupIds: z.array(SecurityGroupId).default([]),
  /** a VPC of another account: the other party of a hand-off; the sandbox account never sees it */
  accountId: AccountId.optional(),
});
const LoadBalancer = z.strictObject({ arn: z.string().regex(NLB_ARN, 'must be a network load balancer ARN') });
const Seconds = z.number().nonnegative();
const VendorService = z.strictObject({
  serviceName: z.string().regex(SERVICE_NAME, 'must be com.amazonaws.vpce.<region>.vpce-svc-<id>'),
  /** as a vendor's service does in AWS (contract: "requires acceptance unless the seed says … false") */
  acceptanceRequired: z.boolean().default(true),
  /** the vendor's account; a made-up one by default */
  owner: AccountId.default('999988887777'),
  /** defaults to every zone the seed's subnets use in the service's region */
  availabilityZones: z.array(AvailabilityZone).optional(),
  /** who may discover and connect to it; everyone by default */
  allowedPrincipals: z
    .array(z.string().regex(PRINCIPAL, 'must be "*" or arn:aws:iam::<account>:root, :role/<name> or :user/<name>'))
    .min(1)
    .default(['*']),
  /** the vendor accepts each endpoint this long after it is created; without it, only `sandbox vendor accept` does */
  vendorAcceptsAfterSeconds: Seconds.optional(),
});

const ATLAS_ACCOUNT_ID = '536727724300';
// Atlas: "Cluster names can contain only ASCII letters, numbers, and hyphens", at most 64 characters.
const AtlasCluster = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'must be 1-64 ASCII letters, digits and hyphens, as Atlas requires'),
  type: z.enum(['REPLICASET', 'SHARDED'], 'must be REPLICASET or SHARDED'),
  region: z.enum(AWS_REGIONS, 'must be an AWS region name such as us-east-1'),
  /** a replica set's members (one port each from 1024), or a sharded cluster's mongos */
  nodes: z.number().int('must be a whole number').min(1).max(50).default(3),
});
const AtlasProject = z.strictObject({
  projectId: z.string().regex(/^[0-9a-f]{24}$/, 'must be an Atlas project id: 24 hexadecimal characters'),
  clusters: z.array(AtlasCluster).default([]),
});
const AtlasTiming = z
  .strictObject({
    /** from createEndpointService until the service is AVAILABLE (INITIATING before) */
    serviceReadyAfterSeconds: Seconds.default(180),
    /** from the endpoint's registration until Atlas reports it AVAILABLE */
    endpointAvailableAfterSeconds: Seconds.default(120),
    /** from the endpoint being available until the cluster lists its privateEndpoint strings */
    connectionStringsAfterSeconds: Seconds.default(240),
  })
  .prefault({});
/** The organization's service account (OAuth 2.0 client credentials); made-up sandbox values by default. */
const AtlasServiceAccount = z
  .strictObject({
    clientId: z.string().min(1).default('mdb_sa_id_0123456789abcdef01234567'),
    clientSecret: z.string().min(1).default('mdb_sa_sk_sandbox-secret-not-for-production'),
  })
  .prefault({});
const Atlas = z.strictObject({
  /** the AWS account that owns the endpoint services Atlas creates */
  accountId: AccountId.default(ATLAS_ACCOUNT_ID),
  projects: z.array(AtlasProject).default([]),
  timing: AtlasTiming,
  serviceAccount: AtlasServiceAccount,
});
const Timing = z
  .strictObject({
    endpointAvailableAfterSeconds: Seconds.optional(),
    dnsChangeInsyncAfterSeconds: Seconds.optional(),
    endpointDeletedAfterSeconds: Seconds.optional(),
    vendorAcceptsAfterSeconds: Seconds.optional(),
    ec2LatencyMs: Seconds.optional(),
    route53LatencyMs: Seconds.optional(),
  })
  .default({})
  .transform((t): SandboxTiming => {
    const defined = Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined));
    return { ...DEFAULT_TIMING, ...defined };
  });

// An account whose EC2 request limits AWS Support raised ("Request a limit increase" on "Request
// throttling for the Amazon EC2 API"): limits are raised per API action, a refill rate above the bucket's
// capacity needs the capacity raised with it.
const RequestLimit = z
  .strictObject({
    /** bucket maximum capacity, in requests */
    capacity: z.number().int('must be a whole number of requests').positive(),
    /** bucket refill rate, in requests per second */
    refillPerSecond: z.number().positive(),
  })
  .refine(
    // a capacity already refused above says enough
    (limit) => limit.capacity <= 0 || limit.refillPerSecond <= limit.capacity,
    'refillPerSecond exceeds capacity: AWS raises the bucket maximum capacity with such a refill rate',
  );
const RequestLimits = z
  .record(z.string(), RequestLimit)
  .superRefine((limits, ctx) => {
    for (const action of Object.keys(limits))
      if (!EC2_OPERATIONS.includes(action))
        ctx.addIssue({
          code: 'custom',
          path: [action],
          message: `is not an EC2 action the sandbox answers (${EC2_OPERATIONS.join(', ')})`,
        });
  })
  .default({});

export const SeedShape = z
  .strictObject({
    /** the JSON Schema an editor validates the file with; ignored here */
    $schema: z.string().optional(),
    accountId: AccountId,
    vpcs: z.array(Vpc).default([]),
    loadBalancers: z.array(LoadBalancer).default([]),
    endpointServices: z.array(VendorService).default([]),
    timing: Timing,
    /** EC2 actions whose request-rate bucket AWS raised for this account; the others keep AWS's defaults */
    ec2RequestLimits: RequestLimits,
    atlas: Atlas.optional(),
  })
  .superRefine((seed, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const seen = new Map<string, string>();
    const unique = (id: string, path: (string | number)[]) => {
      const first = seen.get(id);
      if (first) issue(path, `${id} is already declared at ${first}`);
      else seen.set(id, path.join('.'));
    };
    seed.vpcs.forEach((vpc, v) => {
      unique(vpc.vpcId, ['vpcs', v, 'vpcId']);
      const vpcCidr = parseCidr(vpc.cidr);
      const subnetCidrs: { index: number; cidr: NonNullable<ReturnType<typeof parseCidr>> }[] = [];
      vpc.subnets.forEach((subnet, s) => {
        const path = ['vpcs', v, 'subnets', s];
        unique(subnet.subnetId, [...path, 'subnetId']);
        if (!subnet.availabilityZone.startsWith(vpc.region))
          issue([...path, 'availabilityZone'], `${subnet.availabilityZone} is not a zone of ${vpc.region}`);
        const cidr = parseCidr(subnet.cidr);
        if (!cidr || !vpcCidr) return;
        if (!cidrContains(vpcCidr, cidr))
          issue([...path, 'cidr'], `${subnet.cidr} is not inside the VPC's ${vpc.cidr}`);
        const clash = subnetCidrs.find((other) => cidrsOverlap(other.cidr, cidr));
        if (clash) issue([...path, 'cidr'], `${subnet.cidr} overlaps subnet ${clash.index} of the same VPC`);
        subnetCidrs.push({ index: s, cidr });
      });
      vpc.securityGroupIds.forEach((groupId, g) => {
        unique(groupId, ['vpcs', v, 'securityGroupIds', g]);
      });
    });
    const regions = new Set(seed.vpcs.map((v) => v.region));
    seed.loadBalancers.forEach((lb, i) => {
      const [, , region, account] = NLB_ARN.exec(lb.arn) ?? [];
      if (account && account !== seed.accountId)
        issue(['loadBalancers', i, 'arn'], `belongs to account ${account}, not the sandbox account ${seed.accountId}`);
      if (region && !regions.has(region as (typeof AWS_REGIONS)[number]))
        issue(['loadBalancers', i, 'arn'], `is in ${region}, where the seed has no VPC`);
      unique(lb.arn, ['loadBalancers', i, 'arn']);
    });
    seed.endpointServices.forEach((service, i) => {
      const path = ['endpointServices', i];
      unique(service.serviceName, [...path, 'serviceName']);
      if (service.owner === seed.accountId)
        issue([...path, 'owner'], `is the sandbox account itself; a vendor's service belongs to another account`);
      if (!service.acceptanceRequired && service.vendorAcceptsAfterSeconds !== undefined)
        issue(
          [...path, 'vendorAcceptsAfterSeconds'],
          'has no effect: with acceptanceRequired false the service accepts every endpoint at once',
        );
      const region = SERVICE_NAME.exec(service.serviceName)?.[1];
      if (region && !(AWS_REGIONS as readonly string[]).includes(region))
        issue([...path, 'serviceName'], `${region} is not an AWS region`);
      service.availabilityZones?.forEach((zone, z) => {
        if (region && !zone.startsWith(region))
          issue([...path, 'availabilityZones', z], `${zone} is not a zone of ${region}`);
      });
    });
    if (seed.atlas) atlasIssues(seed.atlas, seed.accountId, issue);
  });

function atlasIssues(
  atlas: z.output<typeof Atlas>,
  accountId: string,
  issue: (path: (string | number)[], message: string) => void,
): void {
  if (atlas.accountId === accountId)
    issue(['atlas', 'accountId'], `is the sandbox account itself; Atlas's endpoint services belong to Atlas's account`);
  const projects = new Map<string, number>();
  atlas.projects.forEach((project, p) => {
    const first = projects.get(project.projectId);
    if (first !== undefined)
      issue(
        ['atlas', 'projects', p, 'projectId'],
        `${project.projectId} is already declared at atlas.projects.${first}`,
      );
    else projects.set(project.projectId, p);
    // Atlas names a cluster once per project, whatever the letter case (its hostnames are lowercase).
    const names = new Map<string, number>();
    project.clusters.forEach((cluster, c) => {
      const key = cluster.name.toLowerCase();
      const seen = names.get(key);
      if (seen !== undefined)
        issue(
          ['atlas', 'projects', p, 'clusters', c, 'name'],
          `${cluster.name} is already a cluster of this project (clusters.${seen})`,
        );
      else names.set(key, c);
    });
  });
}

export type SandboxSeed = z.output<typeof SeedShape>;
/** The seed's simulated Atlas organization, with every default filled in. */
export type AtlasSeed = z.output<typeof Atlas>;
export type SandboxSeedInput = z.input<typeof SeedShape>;

/** The seed file is invalid; `issues` name each field. */
export class SeedError extends Error {
  override readonly name = 'SeedError' as const;
  constructor(
    readonly source: string,
    readonly issues: FieldIssue[],
  ) {
    super(`Invalid sandbox seed ${source}: ${issues.map((i) => `${i.path || '(seed)'}: ${i.message}`).join('; ')}`);
  }
}

export function parseSeed(raw: unknown, source = '(inline)'): SandboxSeed {
  const parsed = SeedShape.safeParse(raw);
  if (!parsed.success) throw new SeedError(source, zodIssues(parsed.error));
  return parsed.data;
}

export async function loadSeed(path: string = DEFAULT_SEED_PATH): Promise<SandboxSeed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SeedError(path, [{ path: '', message: `cannot be read (${(error as NodeJS.ErrnoException).code})` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SeedError(path, [{ path: '', message: `is not JSON (${(error as Error).message})` }]);
  }
  return parseSeed(raw, path);
}

/** The region of a vendor or sandbox endpoint service name. */
export function serviceRegion(serviceName: string): string | undefined {
  return SERVICE_NAME.exec(serviceName)?.[1];
}

/** The region and account of a load balancer ARN. */
export function loadBalancerLocation(arn: string): { region: string; account: string } | undefined {
  const [, , region, account] = NLB_ARN.exec(arn) ?? [];
  return region && account ? { region, account } : undefined;
}
