// The sandbox seed file (contract: "The seed file"): the account's VPCs, subnets, security groups,
// load balancers and the vendors' endpoint services, which the simulated APIs never create.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AWS_REGIONS } from '../domain/regions.ts';
import { SecurityGroupId, SubnetId, VpcId, zodIssues } from '../domain/request.ts';
import type { FieldIssue } from '../errors.ts';
import { DEFAULT_TIMING, type SandboxTiming } from './context.ts';
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
});
const LoadBalancer = z.strictObject({ arn: z.string().regex(NLB_ARN, 'must be a network load balancer ARN') });
const VendorService = z.strictObject({
  serviceName: z.string().regex(SERVICE_NAME, 'must be com.amazonaws.vpce.<region>.vpce-svc-<id>'),
  acceptanceRequired: z.boolean().default(false),
  /** the vendor's account; a made-up one by default */
  owner: AccountId.default('999988887777'),
  /** defaults to every zone the seed's subnets use in the service's region */
  availabilityZones: z.array(AvailabilityZone).optional(),
});
const Seconds = z.number().nonnegative();
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

const SeedShape = z
  .strictObject({
    accountId: AccountId,
    vpcs: z.array(Vpc).default([]),
    loadBalancers: z.array(LoadBalancer).default([]),
    endpointServices: z.array(VendorService).default([]),
    timing: Timing,
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
      unique(service.serviceName, ['endpointServices', i, 'serviceName']);
      const region = SERVICE_NAME.exec(service.serviceName)?.[1];
      if (region && !(AWS_REGIONS as readonly string[]).includes(region))
        issue(['endpointServices', i, 'serviceName'], `${region} is not an AWS region`);
      service.availabilityZones?.forEach((zone, z) => {
        if (region && !zone.startsWith(region))
          issue(['endpointServices', i, 'availabilityZones', z], `${zone} is not a zone of ${region}`);
      });
    });
  });

export type SandboxSeed = z.output<typeof SeedShape>;
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
