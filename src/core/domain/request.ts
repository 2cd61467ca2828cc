// The contract's request: one zod schema gives validation (field-level issues) and the types.
import { createHash } from 'node:crypto';
import { getDomain, getPublicSuffix } from 'tldts';
import * as z from 'zod';
import { type FieldIssue, RequestValidationError } from '../errors.ts';
import { AWS_REGIONS } from './regions.ts';
import {
  isPineconePrivateHost,
  KNOWN_VENDORS,
  pineconePrivateHost,
  pineconeRegionOf,
  vendorServiceName,
} from './vendors.ts';

const awsId = (prefix: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`),
      `must be ${prefix}- followed by 8 or 17 lowercase hexadecimal characters`,
    );

export const VpcId = awsId('vpc');
export const SubnetId = awsId('subnet');
export const SecurityGroupId = awsId('sg');
export const EndpointId = awsId('vpce');

/** In the China regions endpoint service names start with "cn." (cn.com.amazonaws.vpce.cn-north-1.…). */
const SERVICE_NAME =
  /^(?:cn\.)?com\.amazonaws\.vpce\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.vpce-svc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const NLB_ARN =
  /^arn:aws(-cn|-us-gov)?:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/net\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
const PRINCIPAL_ARN =
  /^(\*|arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role\/[\w+=,.@/-]{1,512}|user\/[\w+=,.@/-]{1,512}))$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Safe inside a TXT record and a URI query without escaping. */
const URI_SAFE_VALUE = /^[A-Za-z0-9_.-]{1,64}$/;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** PrivateLink's limit on addressable targets (ports on one NLB) a request can ask for. */
export const MAX_TARGET_PORTS = 50;
/** AWS allows 50 tags per resource; the project adds its own. */
export const MAX_USER_TAGS = 45;
export const REQUEST_ID_TAG = 'privatelink:request-id';

export const DnsName = z
  .string()
  .transform((s) => s.toLowerCase().replace(/\.$/, ''))
  .superRefine((name, ctx) => {
    if (name.length > 253) ctx.addIssue({ code: 'custom', message: 'is longer than 253 characters' });
    const labels = name.split('.');
    if (labels.length < 2) ctx.addIssue({ code: 'custom', message: 'must have at least two labels' });
    const bad = labels.find((l) => !DNS_LABEL.test(l));
    if (bad !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: `label "${bad.slice(0, 70)}" is not an RFC 1123 label (a-z, 0-9, inner hyphens, 1-63 characters)`,
      });
    // RFC 3696 §2: an all-numeric top-level label makes the name an IP address, not a host name.
    else if (/^\d+$/.test(labels.at(-1) ?? ''))
      ctx.addIssue({ code: 'custom', message: 'is an IP address, not a DNS name' });
  });

/**
 * Schemas that take `unknown` (to choose a branch first, for field-level errors) mapped to what they
 * really accept, so the generated JSON Schema (scripts/generate-schemas.ts) describes that, not "anything".
 */
export const acceptedInput = new WeakMap<object, z.ZodType>();

/** Reports each repeated item at its own index, e.g. consumer.subnetIds.1. */
function uniqueItems<T>(items: T[], ctx: z.RefinementCtx<T[]>): void {
  const seen = new Set<T>();
  for (const [index, item] of items.entries()) {
    if (seen.has(item)) ctx.addIssue({ code: 'custom', path: [index], message: `${String(item)} is listed twice` });
    seen.add(item);
  }
}

/**
 * A union chosen by the presence of one key. z.union reports one "Invalid input" at the union's
 * path when every branch fails; choosing the branch first reports the caller's real mistake at its
 * own path (consumer.subnetIds, service.serviceName). The types stay those of the plain union.
 */
function unionByKey<Without extends z.ZodType, With extends z.ZodType>(key: string, withKey: With, without: Without) {
  const union = z.union([without, withKey]);
  const chooser = z.unknown().transform((value, ctx) => {
    const branch = value !== null && typeof value === 'object' && key in value ? withKey : without;
    const result = branch.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
  acceptedInput.set(chooser, union);
  return chooser as unknown as z.ZodType<z.output<typeof union>, z.input<typeof union>>;
}

const Port = z.number().int('must be an integer').min(1).max(65535);

/** A union chosen by which of `keys` the object has (the first present wins), else `fallback`; see unionByKey. */
function unionByKeys<T extends z.ZodType>(branches: [key: string, schema: T][], fallback: T) {
  const chooser = z.unknown().transform((value, ctx) => {
    const chosen =
      value !== null && typeof value === 'object' ? branches.find(([key]) => key in value)?.[1] : undefined;
    const result = (chosen ?? fallback).safeParse(value);
    if (result.success) return result.data as z.output<T>;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
  acceptedInput.set(chooser, z.union([...branches.map(([, schema]) => schema), fallback]));
  return chooser as unknown as z.ZodType<z.output<T>, z.input<T>>;
}

const CreateService = z.strictObject({
  create: z.strictObject({
    networkLoadBalancerArns: z
      .array(z.string().regex(NLB_ARN, 'must be a network load balancer ARN'))
      .min(1)
      .max(10)
      .superRefine(uniqueItems),
    acceptanceRequired: z.boolean().default(true),
    allowedPrincipals: z.array(z.string().regex(PRINCIPAL_ARN, 'must be an IAM principal ARN')).max(50).default([]),
  }),
});
/** A MongoDB Atlas cluster, reached through Atlas's own endpoint service (Administration API v2). */
const AtlasService = z.strictObject({
  atlas: z.strictObject({
    projectId: z.string().regex(/^[0-9a-f]{24}$/, 'must be the Atlas project id: 24 lowercase hexadecimal characters'),
    // Atlas cluster names: ASCII letters, numbers and hyphens, at most 64 characters.
    clusterName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'must be an Atlas cluster name (letters, digits, -)'),
  }),
});
/** A vendor without an API, from the table of known vendors (src/core/domain/vendors.ts). */
const VendorService = z.strictObject({
  vendor: z.enum(KNOWN_VENDORS, `must be a known vendor: ${KNOWN_VENDORS.join(', ')}`),
});
const NamedService = z.strictObject({
  serviceName: z.string().regex(SERVICE_NAME, 'must be [cn.]com.amazonaws.vpce.<region>.vpce-svc-<id>'),
});
const ServiceSpec = unionByKeys<
  typeof CreateService | typeof AtlasService | typeof VendorService | typeof NamedService
>(
  [
    ['create', CreateService],
    ['atlas', AtlasService],
    ['vendor', VendorService],
  ],
  NamedService,
);

const ConsumerSpec = unionByKey(
  'external',
  z.strictObject({
    external: z.strictObject({
      accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
      // Optional: when given, the command handed to the other party names them.
      vpcId: VpcId.optional(),
      subnetIds: z.array(SubnetId).min(1).max(16).superRefine(uniqueItems).optional(),
    }),
  }),
  z.strictObject({
    vpcId: VpcId,
    subnetIds: z.array(SubnetId).min(1).max(16).superRefine(uniqueItems),
    securityGroupIds: z.array(SecurityGroupId).min(1).max(5).superRefine(uniqueItems),
    allowFrom: z.array(SecurityGroupId).max(50).superRefine(uniqueItems).default([]),
  }),
);

const MongoTarget = z.strictObject({
  kind: z.literal('mongodb'),
  host: DnsName,
  ports: z.array(Port).min(1).max(MAX_TARGET_PORTS).superRefine(uniqueItems),
  srvHost: DnsName.optional(),
  replicaSet: z.string().regex(URI_SAFE_VALUE, 'may hold only A-Z, a-z, 0-9, _ . - (1-64)').optional(),
  authSource: z.string().regex(URI_SAFE_VALUE, 'may hold only A-Z, a-z, 0-9, _ . - (1-64)').optional(),
  loadBalanced: z.boolean().optional(),
});
const HttpsTarget = z.strictObject({ kind: z.literal('https'), host: DnsName, port: Port.default(443) });
const TcpTarget = z.strictObject({
  kind: z.literal('tcp'),
  host: DnsName,
  port: Port,
  scheme: z
    .string()
    .regex(/^[a-z][a-z0-9+.-]{0,31}$/, 'must be a URI scheme such as postgresql')
    .default('tcp'),
});
const TargetSpec = z.discriminatedUnion('kind', [MongoTarget, HttpsTarget, TcpTarget]);

/** Unicode characters, as AWS counts tag lengths (a JavaScript length counts UTF-16 units). */
const codePoints = (s: string) => [...s].length;
// EC2 allows 127-character keys and 255-character values (Route 53 128/256): the stricter limits hold for both.
const TAG_KEY_MAX = 127;
const TAG_VALUE_MAX = 255;

const TagRecord = z
  .record(
    z
      .string()
      .min(1)
      .refine((k) => codePoints(k) <= TAG_KEY_MAX, `must be at most ${TAG_KEY_MAX} characters, as EC2 counts them`)
      .regex(TAG_CHARS, 'holds characters AWS tags do not allow')
      .refine((k) => !/^(aws|privatelink):/i.test(k), 'the aws: and privatelink: prefixes are reserved'),
    z
      .string()
      .refine((v) => codePoints(v) <= TAG_VALUE_MAX, `must be at most ${TAG_VALUE_MAX} characters, as EC2 counts them`)
      .regex(TAG_CHARS, 'holds characters AWS tags do not allow'),
  )
  .refine((t) => Object.keys(t).length <= MAX_USER_TAGS, `at most ${MAX_USER_TAGS} tags`);
// JSON.parse keeps "__proto__" as an own key, which a record would silently drop: refuse it instead.
const TagsInput = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value && typeof value === 'object' && Object.hasOwn(value, '__proto__'))
      ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'is not a usable tag key' });
  })
  .pipe(TagRecord);
acceptedInput.set(TagsInput, TagRecord);
const Tags = TagsInput.optional().transform((t) => t ?? {});

const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const REQUEST_ID_RULE = 'must be 1-64 characters of A-Z, a-z, 0-9, _ and -';

/** A valid request id: it names executions, files and tags. */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}

/** A day: how long a vendor without an API has to register the endpoint, unless the request says otherwise. */
export const DEFAULT_VENDOR_DEADLINE_SECONDS = 24 * 60 * 60;

export const RequestShape = z.strictObject({
  /** the JSON Schema an example names; not part of the request */
  $schema: z.string().optional(),
  requestId: z.string().regex(REQUEST_ID, REQUEST_ID_RULE).optional(),
  region: z.enum(AWS_REGIONS, 'must be an AWS region name such as us-east-1'),
  service: ServiceSpec,
  consumer: ConsumerSpec,
  target: TargetSpec.optional(),
  /** how long to wait for a vendor (or the other party) to act, at most 7 days */
  vendorDeadlineSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(60)
    .max(7 * 24 * 60 * 60)
    .optional(),
  // records: A by default (ALIAS for Pinecone's wildcard), decided by the DNS plan.
  dns: z
    .strictObject({ records: z.enum(['A', 'ALIAS', 'CNAME']).optional(), zoneName: DnsName.optional() })
    .default({}),
  notify: z
    .strictObject({
      slackResponseUrl: z
        .url()
        .refine((u) => u.startsWith('https://hooks.slack.com/'), 'must be an https://hooks.slack.com/ URL')
        .optional(),
      eventBusName: z
        .string()
        .regex(/^[A-Za-z0-9._\-/:]{1,1600}$/)
        .optional(),
    })
    .optional(),
  tags: Tags,
});

type ParsedShape = z.output<typeof RequestShape>;
export type ProvisionRequestInput = z.input<typeof RequestShape>;
export type ProvisionRequest = ParsedShape & { requestId: string };
export type Target = NonNullable<ParsedShape['target']>;
export type MongoTarget = z.output<typeof MongoTarget>;

/** The ports Atlas may use behind AWS PrivateLink; MongoDB recommends allowing all of them (sources/atlas-private-endpoints.txt). */
export const ATLAS_PORT_RANGE = { fromPort: 1024, toPort: 65535 } as const;

export function targetPorts(target: Target): number[] {
  return target.kind === 'mongodb' ? target.ports : [target.port];
}

/** The hostnames whose records this request writes (none for Atlas: Atlas publishes its own names). */
export function ownedHostnames(target: Target | undefined): string[] {
  if (!target) return [];
  if (target.kind === 'mongodb' && target.srvHost && target.srvHost !== target.host)
    return [target.host, target.srvHost];
  return [target.host];
}

/** Domains of AWS's own service endpoints: a private zone at or under one breaks AWS APIs inside the VPC. */
const AWS_SERVICE_DOMAINS = ['amazonaws.com', 'amazonaws.com.cn', 'amazonaws-us-gov.com', 'api.aws', 'on.aws'];

/**
 * A zone at a public suffix or a registrable domain would shadow every other name under it; the private
 * section of the Public Suffix List counts too (github.io, s3.amazonaws.com are suffixes others register under).
 */
export function shadowsRegistrableDomain(name: string): boolean {
  const options = { allowPrivateDomains: true };
  return getPublicSuffix(name, options) === name || getDomain(name, options) === name || isAwsServiceName(name);
}

export function isAwsServiceName(name: string): boolean {
  return AWS_SERVICE_DOMAINS.some((domain) => name === domain || name.endsWith(`.${domain}`));
}

function crossFieldIssues(r: ParsedShape): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if ('atlas' in r.service) {
    if (r.target)
      issues.push({
        path: 'target',
        message: 'is given by Atlas for service.atlas (hosts, ports, replica set): leave it out',
      });
    if (r.dns.zoneName || r.dns.records !== undefined)
      issues.push({
        path: 'dns',
        message: 'Atlas publishes the DNS of its private endpoint names itself: leave dns out for service.atlas',
      });
    return issues;
  }
  const t = r.target;
  if (!t) {
    issues.push({
      path: 'target',
      message: '`target` is required (what sits behind the service: mongodb, https or tcp)',
    });
    return issues;
  }
  if (t.kind === 'mongodb') {
    if (t.loadBalanced && t.replicaSet)
      issues.push({ path: 'target.replicaSet', message: 'a load-balanced instance has no replicaSet' });
    if (t.loadBalanced && t.ports.length !== 1)
      issues.push({ path: 'target.ports', message: 'a load-balanced instance has exactly one port' });
    if (t.srvHost) {
      const labels = t.srvHost.split('.');
      const parent = labels.slice(1).join('.');
      if (labels.length < 3)
        issues.push({ path: 'target.srvHost', message: 'MongoDB drivers need at least three labels in an SRV name' });
      else if (!t.host.endsWith(`.${parent}`))
        issues.push({
          path: 'target.srvHost',
          message: `MongoDB drivers require SRV targets to share the parent domain "${parent}"; host ${t.host} does not`,
        });
    }
  }
  const names = ownedHostnames(t);
  const zoneName = r.dns.zoneName;
  if (zoneName) {
    if (shadowsRegistrableDomain(zoneName))
      issues.push({
        path: 'dns.zoneName',
        message: isAwsServiceName(zoneName)
          ? `${zoneName} is an AWS service domain: a private zone there would break AWS's own endpoints in the VPC`
          : `${zoneName} is a registrable domain or public suffix: a private zone there would shadow every name under it`,
      });
    for (const name of names)
      if (name !== zoneName && !name.endsWith(`.${zoneName}`))
        issues.push({ path: 'dns.zoneName', message: `${name} is not inside ${zoneName}` });
  } else {
    for (const [i, name] of names.entries())
      if (shadowsRegistrableDomain(name))
        issues.push({
          path: i === 0 ? 'target.host' : 'target.srvHost',
          message: isAwsServiceName(name)
            ? `${name} is an AWS service domain: a private zone there would break AWS's own endpoints in the VPC`
            : `${name} is a registrable domain or public suffix: a private zone there would shadow every name under it`,
        });
  }
  // The CNAME is written at target.host only, so only that name matters; a CNAME also excludes
  // every other record at its name, such as the seedlist TXT when srvHost is the host itself.
  // Pinecone's record is the wildcard *.private.<env>.pinecone.io, never the zone's apex.
  if (r.dns.records === 'CNAME' && !isPineconePrivateHost(t.host) && (!zoneName || t.host === zoneName))
    issues.push({
      path: 'dns.records',
      message: 'a CNAME cannot sit at a zone apex; use ALIAS, or set dns.zoneName to a parent zone',
    });
  else if (
    r.dns.records === 'CNAME' &&
    t.kind === 'mongodb' &&
    t.srvHost === t.host &&
    (t.authSource || t.replicaSet || t.loadBalanced)
  )
    issues.push({
      path: 'dns.records',
      message: `a CNAME at ${t.host} cannot share its name with the seedlist TXT record; use A or ALIAS`,
    });
  if ('external' in r.consumer && r.dns.zoneName)
    issues.push({ path: 'dns.zoneName', message: 'an external consumer manages DNS in its own VPC' });
  if ('create' in r.service)
    for (const [i, arn] of r.service.create.networkLoadBalancerArns.entries()) {
      const [, partition, , region] = arn.split(':');
      if (region !== r.region || partition !== partitionOf(r.region))
        issues.push({
          path: `service.create.networkLoadBalancerArns.${i}`,
          message: `load balancers must be in ${r.region} (partition ${partitionOf(r.region)})`,
        });
    }
  if ('vendor' in r.service && !vendorServiceName(r.service.vendor, r.region))
    issues.push({
      path: 'service.vendor',
      message: `${r.service.vendor} has no known endpoint service in ${r.region}`,
    });
  else if ('vendor' in r.service && r.service.vendor === 'pinecone') issues.push(...pineconeTargetIssues(t, r.region));
  if ('serviceName' in r.service) {
    const name = r.service.serviceName;
    if (SERVICE_NAME.exec(name)?.[1] !== r.region || name.startsWith('cn.') !== (partitionOf(r.region) === 'aws-cn'))
      issues.push({
        path: 'service.serviceName',
        message: `the endpoint service must be ${partitionOf(r.region) === 'aws-cn' ? 'cn.' : ''}com.amazonaws.vpce.${r.region}.…`,
      });
  }
  return issues;
}

/** Pinecone's private endpoint serves the index's private host, in the environment of the request's region. */
function pineconeTargetIssues(t: Target, region: string): FieldIssue[] {
  if (t.kind !== 'https') return [{ path: 'target.kind', message: 'Pinecone serves https: use kind "https"' }];
  if (!isPineconePrivateHost(t.host)) {
    const privateHost = pineconePrivateHost(t.host);
    return [
      {
        path: 'target.host',
        message: privateHost
          ? `Pinecone's private endpoint serves the private host: use ${privateHost}`
          : 'must be a Pinecone index host (<index>-<id>.svc.private.<environment>.pinecone.io)',
      },
    ];
  }
  const hostRegion = pineconeRegionOf(t.host);
  if (hostRegion && hostRegion !== region)
    return [{ path: 'target.host', message: `${t.host} is a Pinecone environment of ${hostRegion}, not ${region}` }];
  return [];
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** A stable default id: the same request, however written (key order, case of names, defaults), gives the same id. */
export function defaultRequestId(raw: unknown): string {
  return `req-${createHash('sha256').update(canonicalJson(raw)).digest('hex').slice(0, 16)}`;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function zodIssues(error: z.ZodError): FieldIssue[] {
  const dotted = (path: PropertyKey[]) => path.map(String).join('.');
  // zod still runs length checks on a wrong-typed value that has a length (a string given for an
  // array), which adds a misleading "too big" next to the real "expected array": keep the type error.
  const wrongType = new Set(error.issues.filter((i) => i.code === 'invalid_type').map((i) => dotted(i.path)));
  return error.issues.flatMap((i): FieldIssue[] => {
    if (i.code !== 'invalid_type' && wrongType.has(dotted(i.path))) return [];
    // One issue per unknown field, at that field's path, so a typo is named where it is.
    if (i.code === 'unrecognized_keys')
      return i.keys.map((key) => ({ path: dotted([...i.path, key]), message: 'is not a known field' }));
    // A bad tag key: say why (length, characters, reserved prefix), not just "Invalid key in record".
    if (i.code === 'invalid_key')
      return i.issues.map((inner) => ({ path: dotted(i.path), message: `key ${inner.message}` }));
    return [{ path: dotted(i.path), message: i.message }];
  });
}

export type ParseResult = { ok: true; request: ProvisionRequest } | { ok: false; issues: FieldIssue[] };

export function parseProvisionRequest(raw: unknown): ParseResult {
  const parsed = RequestShape.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const issues = crossFieldIssues(parsed.data);
  if (issues.length > 0) return { ok: false, issues };
  const { requestId, $schema: _schema, ...rest } = parsed.data;
  return { ok: true, request: { ...rest, requestId: requestId ?? defaultRequestId(rest) } };
}

/** For step handlers: the request as the workflow carries it, or a RequestValidationError. */
export function requireProvisionRequest(raw: unknown): ProvisionRequest {
  const result = parseProvisionRequest(raw);
  if (!result.ok) throw new RequestValidationError(result.issues);
  return result.request;
}

/** The request's target; every request has one but service.atlas, whose hosts and ports Atlas gives. */
export function requireTarget(request: Pick<ProvisionRequest, 'target' | 'requestId'>): Target {
  if (!request.target) throw new RequestValidationError([{ path: 'target', message: '`target` is required' }]);
  return request.target;
}
