// Writes what the reference derives from the code: schemas/request.schema.json and schemas/seed.schema.json
// from the zod schemas that validate a request (src/core/domain/request.ts) and a sandbox seed
// (src/core/sandbox/seed.ts), so an editor checks what the product checks; and docs/reference/cli-commands.md
// from the CLI's own command table (src/cli/commands/index.ts). Run `npx tsx scripts/generate-schemas.ts`
// after changing any of them; test/docs/schemas.test.ts fails while a committed file differs from a fresh run.
//
// The files describe the input side (defaults make a field optional). Checks zod runs in code (refines:
// hostnames, tag lengths as EC2 counts them, cross-field rules) have no JSON Schema form; the product's
// own validation still applies them, so a file that passes here can still be refused with a field error.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { COMMAND_LIST, HELP } from '../src/cli/commands/index.ts';
import { markdownReference } from '../src/cli/help.ts';
import * as requestModule from '../src/core/domain/request.ts';
import * as seedModule from '../src/core/sandbox/seed.ts';

type JsonSchema = Record<string, unknown>;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A schema the generator needs from a module; looked up by name so a missing export says which one. */
function exported<T>(module: object, name: string, file: string, is: (value: unknown) => value is T): T {
  const value = (module as Record<string, unknown>)[name];
  if (!is(value)) throw new Error(`${file} must export ${name} for scripts/generate-schemas.ts`);
  return value;
}
const isZod = (value: unknown): value is z.ZodType => value instanceof z.ZodType;
const isWeakMap = (value: unknown): value is WeakMap<object, z.ZodType> => value instanceof WeakMap;

/**
 * zod's input-side JSON Schema. Schemas that take `unknown` to choose a branch before validating (for
 * field-level errors) are described by what they accept (`acceptedInput`), not as "anything".
 */
function toJsonSchema(schema: z.ZodType, accepted: WeakMap<object, z.ZodType>): JsonSchema {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const instead = accepted.get(ctx.zodSchema);
      if (!instead) return;
      const { $schema: _, ...described } = toJsonSchema(instead, accepted);
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
      Object.assign(ctx.jsonSchema, described);
    },
  }) as JsonSchema;
}

type FieldDocs = Record<string, { title: string; description: string }>;

/** A title and description on the document and on each top-level field; every field must have one. */
function describe(schema: JsonSchema, title: string, description: string, fields: FieldDocs): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema>;
  const missing = Object.keys(properties).filter((key) => !(key in fields));
  const unknown = Object.keys(fields).filter((key) => !(key in properties));
  if (missing.length > 0 || unknown.length > 0)
    throw new Error(
      `field docs out of step: undocumented ${missing.join(', ') || '-'}; unknown ${unknown.join(', ') || '-'}`,
    );
  const { $schema, ...rest } = schema;
  const described = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, { ...fields[key], ...s }]));
  return { $schema, title, description, ...rest, properties: described };
}

const REQUEST_FIELDS: FieldDocs = {
  $schema: {
    title: 'JSON Schema',
    description:
      'The schema an editor checks the file with, e.g. "../schemas/request.schema.json". Ignored by the product.',
  },
  requestId: {
    title: 'Request id',
    description:
      'Idempotency key, 1-64 characters of A-Z, a-z, 0-9, _ and -. It names the executions, the stored result and the privatelink:request-id tag. Default: req- and 16 hexadecimal characters of a hash of the request, the same however it is written.',
  },
  region: { title: 'Region', description: 'The AWS region of the consumer VPC and of the endpoint service.' },
  service: {
    title: 'Service',
    description:
      'What the endpoint connects to; exactly one of: serviceName (an existing endpoint service in the region), create (an endpoint service this request creates for our own network load balancers), atlas (a MongoDB Atlas cluster, through the Atlas Administration API), vendor (a known vendor without an API, e.g. pinecone).',
  },
  consumer: {
    title: 'Consumer',
    description:
      'Where the endpoint is created: a VPC of this account (vpcId, subnetIds, securityGroupIds, optional allowFrom), or external (accountId, optional vpcId and subnetIds): the other party creates the endpoint in its own account and reports its id.',
  },
  target: {
    title: 'Target',
    description:
      'What sits behind the service, by kind (mongodb, https, tcp); it decides the DNS records and the connection strings. Required except for service.atlas, where Atlas gives the hosts and ports (leave it out).',
  },
  vendorDeadlineSeconds: {
    title: 'Vendor deadline',
    description:
      'How long, in seconds, to wait for the vendor (or the other party) to act before failing: 60 to 604800 (7 days). Default 86400 (one day).',
  },
  dns: {
    title: 'DNS',
    description:
      'records: A (the endpoint network interfaces private IPs, the default), ALIAS or CNAME to the endpoint DNS name. zoneName: put every record into that one private zone instead of one zone per hostname. Leave out for service.atlas and for an external consumer.',
  },
  notify: {
    title: 'Notify',
    description:
      'Whom to tell about the outcome besides the caller: slackResponseUrl (an https://hooks.slack.com/ URL) and eventBusName (the EventBridge bus for Private Endpoint Ready/Failed/Deleted).',
  },
  tags: {
    title: 'Tags',
    description:
      'Copied onto everything the request creates. At most 45 (AWS allows 50 per resource; the project adds its own); keys 1-127 and values 0-255 Unicode characters, as EC2 counts them; the aws: and privatelink: prefixes are reserved.',
  },
};

const SEED_FIELDS: FieldDocs = {
  $schema: {
    title: 'JSON Schema',
    description:
      'The schema an editor checks the file with, e.g. "../schemas/seed.schema.json". Ignored by the sandbox.',
  },
  accountId: { title: 'Account', description: 'The sandbox AWS account id (12 digits): the caller of every call.' },
  vpcs: {
    title: 'VPCs',
    description:
      'VPCs with their subnets (inside the VPC block, not overlapping, in zones of its region) and security groups. A VPC with accountId belongs to another account: the other party of a hand-off, invisible to the sandbox account.',
  },
  loadBalancers: {
    title: 'Load balancers',
    description:
      'Network load balancers of the sandbox account, in regions where the seed has a VPC; service.create uses them.',
  },
  endpointServices: {
    title: 'Vendors endpoint services',
    description:
      'Endpoint services owned by other accounts. Each requires acceptance unless acceptanceRequired is false, lets only allowedPrincipals connect (default everyone), and accepts an endpoint after vendorAcceptsAfterSeconds simulated seconds, or only when `privatelink sandbox vendor accept` is run.',
  },
  timing: {
    title: 'Timing',
    description:
      'Simulated seconds (and per-call latency in milliseconds) of the sandbox lifecycles; each left out keeps its default.',
  },
  ec2RequestLimits: {
    title: 'Raised EC2 request limits',
    description:
      'EC2 actions whose request-rate token bucket AWS raised for this account (capacity in requests, refillPerSecond at most the capacity), by action name, e.g. {"CreateVpcEndpoint": {"capacity": 4, "refillPerSecond": 0.9}}. The other actions keep the defaults AWS documents.',
  },
  atlas: {
    title: 'Atlas',
    description:
      'A simulated MongoDB Atlas organization: the AWS account of its endpoint services, its projects and clusters, the timing of its lifecycles and its service account.',
  },
};

export function requestSchema(): JsonSchema {
  const file = 'src/core/domain/request.ts';
  const shape = exported(requestModule, 'RequestShape', file, isZod);
  const accepted = exported(requestModule, 'acceptedInput', file, isWeakMap);
  return describe(
    toJsonSchema(shape, accepted),
    'A provisioning request',
    'One request: a PrivateLink endpoint to a service, private DNS and connection strings (docs/reference/request.md). Generated from src/core/domain/request.ts by scripts/generate-schemas.ts; the product also checks rules this schema cannot state.',
    REQUEST_FIELDS,
  );
}

export function seedSchema(): JsonSchema {
  const shape = exported(seedModule, 'SeedShape', 'src/core/sandbox/seed.ts', isZod);
  return describe(
    toJsonSchema(shape, new WeakMap()),
    'A sandbox seed',
    'What the simulated AWS account holds from the start (docs/reference/seed.md). Generated from src/core/sandbox/seed.ts by scripts/generate-schemas.ts; the sandbox also checks rules this schema cannot state.',
    SEED_FIELDS,
  );
}

/** The files this script writes, each with how to make it; the JSON as Biome formats it (`biome check` runs over schemas/). */
export const GENERATED: readonly { path: string; generate: () => string }[] = [
  { path: 'schemas/request.schema.json', generate: () => jsonFile('schemas/request.schema.json', requestSchema()) },
  { path: 'schemas/seed.schema.json', generate: () => jsonFile('schemas/seed.schema.json', seedSchema()) },
  { path: 'docs/reference/cli-commands.md', generate: () => cliReference() },
];

const jsonFile = (path: string, schema: JsonSchema) => biomeFormat(path, `${JSON.stringify(schema, null, 2)}\n`);

/** Every command's page, as `privatelink help COMMAND` prints it, from the CLI's command table. */
export function cliReference(): string {
  const text = markdownReference([...COMMAND_LIST, HELP]);
  return text.endsWith('\n') ? text : `${text}\n`;
}

function biomeFormat(path: string, text: string): string {
  return execFileSync(`${ROOT}node_modules/.bin/biome`, ['format', `--stdin-file-path=${path}`], {
    cwd: ROOT,
    input: text,
    encoding: 'utf8',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let failed = false;
  for (const { path, generate } of GENERATED)
    try {
      writeFileSync(`${ROOT}${path}`, generate());
      console.log(`wrote ${path}`);
    } catch (error) {
      failed = true;
      console.error(`${path}: ${(error as Error).message}`);
    }
  if (failed) process.exitCode = 1;
}
