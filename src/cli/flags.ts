// Every flag the command line knows: its value's placeholder (none for a switch) and what it means.
// Commands name the flags they take (commands/catalog.ts); a flag another command takes is refused there.

export interface FlagSpec {
  /** the placeholder shown in help, e.g. FILE; absent for a switch */
  value?: string;
  /** may be given more than once */
  multiple?: boolean;
  short?: string;
  help: string;
}

export const FLAGS = {
  json: { help: 'machine output: one JSON object on stdout, whatever happens (progress stays on stderr)' },
  help: { short: 'h', help: "this command's usage" },
  'sandbox-state': { value: 'DIR', help: "the sandbox's state directory (default .privatelink)" },
  'sandbox-seed': {
    value: 'FILE',
    help: 'seed for a new sandbox (default examples/sandbox-seed.json); refused for an existing state unless --reset',
  },
  aws: { help: 'run against AWS: the standard credential chain, honouring AWS_ENDPOINT_URL' },
  reset: { help: 'start the sandbox afresh from its seed (everything in --sandbox-state is lost)' },
  fault: {
    value: 'OP:CODE[:COUNT]',
    multiple: true,
    help: 'sandbox only, repeatable: the first COUNT calls of OP fail with CODE (all without COUNT); endpoint:failed | endpoint:rejected',
  },
  request: { value: 'FILE', help: 'the request, a JSON file (see examples/)' },
  'request-id': { value: 'ID', help: "the request's id (1-64 characters of A-Z a-z 0-9 _ -)" },
  'endpoint-id': { value: 'VPCE', help: 'an interface endpoint id, vpce-…' },
  'dns-name': {
    value: 'NAME',
    help: "the reported endpoint's DNS name (vpce-….vpce.amazonaws.com), as the other party gives it",
  },
  port: { value: 'PORT', help: 'the port to listen on, on 127.0.0.1 (default 3000)' },
  seconds: { value: 'N', help: 'how many simulated seconds' },
  type: { value: 'TYPE', help: 'the record type to ask for: A (default), SRV, TXT or CNAME' },
  vpc: { value: 'VPC', help: 'the VPC to resolve from, vpc-… (default: the one VPC the private zones serve)' },
  repair: { help: 'put back what the request owns' },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];

export function isFlagName(name: string): name is FlagName {
  return Object.hasOwn(FLAGS, name);
}

/** `--request FILE` or `--json`, as help shows it. */
export function flagSynopsis(name: FlagName): string {
  const spec: FlagSpec = FLAGS[name];
  return spec.value ? `--${name} ${spec.value}` : `--${name}`;
}

/** Where a command runs: every command that opens the sandbox or AWS takes these. */
export const WHERE_FLAGS: readonly FlagName[] = ['sandbox-state', 'sandbox-seed', 'aws'];
/** Every command takes these. */
export const COMMON_FLAGS: readonly FlagName[] = ['json', 'help'];
