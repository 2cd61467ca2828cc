// Every command, by its words on the command line: what it takes, its help, and its code (loaded
// only when it runs). A command gets the parsed arguments, the environment (sandbox or AWS) and
// somewhere to print; it returns the exit code.
import type { CommandSpec } from './spec.ts';

export type { Command, CommandSpec } from './spec.ts';

const WORKFLOW_EXITS = [
  [0, 'READY'],
  [1, 'the workflow failed: the result says at which step and why, and what was undone'],
  [2, 'the request or the command line is invalid; nothing was created'],
] as const;

export const COMMAND_LIST: CommandSpec[] = [
  {
    name: 'provision',
    summary: 'run the provisioning workflow: each step as it goes, then the result',
    description:
      'Runs the provisioning workflow (the real state machine definition) for the request in FILE: the ' +
      'endpoint service, the interface endpoint, its private DNS and the connection strings. Progress, one ' +
      'line per step, goes to stderr; the result to stdout. When someone else must act (a vendor accepts the ' +
      'endpoint, the other party of a hand-off creates theirs), the progress says who and what, and the run ' +
      'waits. The same request again returns the result it has, or carries on where it stopped.',
    flags: ['request', 'fault', 'reset'],
    required: ['request'],
    runsOn: 'sandbox-or-aws',
    examples: [
      'privatelink provision --request examples/atlas-replica-set.json',
      'privatelink provision --request examples/atlas-replica-set.json --fault ChangeResourceRecordSets:Throttling:3',
    ],
    exits: WORKFLOW_EXITS,
    load: async () => (await import('./provision.ts')).provision,
  },
  {
    name: 'status',
    summary: 'the result as it stands',
    description:
      'Prints the result of the request as it stands: its status, the step it is at, who must act ' +
      '(actions), what was created and the connection strings. Read-only: it changes nothing.',
    flags: ['request-id'],
    required: ['request-id'],
    runsOn: 'sandbox-or-aws',
    readOnly: true,
    opens: 'store',
    examples: [
      'privatelink status --request-id cluster0-app-prod',
      'privatelink status --request-id cluster0-app-prod --json',
    ],
    exits: [
      [0, 'the request is known and has not failed'],
      [1, 'the request FAILED'],
      [2, 'no request with that id is known here'],
    ],
    load: async () => (await import('./status.ts')).status,
  },
  {
    name: 'list',
    summary: 'the known requests, newest first: status, step, endpoint',
    description:
      'Lists every request this state directory knows, newest first, one line each: its id, status, the ' +
      'step it is at (or failed at), and its endpoint; below a waiting request, the action it waits for. ' +
      'With --json, an array of results. Read-only: it changes nothing.',
    flags: [],
    runsOn: 'sandbox-or-aws',
    readOnly: true,
    opens: 'store',
    examples: ['privatelink list', 'privatelink list --json'],
    exits: [[0, 'listed (possibly nothing)']],
    load: async () => (await import('./list.ts')).list,
  },
  {
    name: 'plan',
    summary: 'what provisioning would create, reuse or refuse, from read-only calls',
    description:
      'Tells what provisioning the request in FILE would do, like `terraform plan`: for the endpoint ' +
      'service (ours, the named or vendor one, or Atlas’s for the project), the endpoint, the ingress rules, ' +
      'the registration at Atlas, the private zones and each record, whether it would be created, reused, ' +
      'written again (the request’s own), waited for (someone else acts) or refused, and why: an allowlist, ' +
      'a name another request holds, a record someone else wrote, an unknown service, project or cluster. ' +
      'Only Describe, List and Get calls are made, on the sandbox or with --aws. Read-only: it changes nothing.',
    flags: ['request'],
    required: ['request'],
    runsOn: 'sandbox-or-aws',
    readOnly: true,
    examples: [
      'privatelink plan --request examples/atlas-replica-set.json',
      'privatelink plan --request examples/atlas-cluster.json --aws --json',
    ],
    exits: [
      [0, 'provisioning would go through (someone may still have to act)'],
      [1, 'provisioning would be refused: the items say what and why'],
      [2, 'the request or the command line is invalid'],
    ],
    load: async () => (await import('./plan.ts')).plan,
  },
  {
    name: 'verify',
    summary: 'compare the recorded result with the account now; --repair puts back what the request owns',
    description:
      'Compares what the request recorded (its result) with the account as it is now: the endpoint ' +
      'service, the endpoint (state, service, DNS name, addresses), its ingress rules, the private zones and ' +
      'their association with the VPC, every record, and for Atlas its endpoint service and our endpoint’s ' +
      'registration there; each difference is listed with what was expected, what is there and how to fix ' +
      'it. Read-only unless --repair, which puts back what the request owns (its records exactly as recorded, ' +
      'the VPC association of a zone it created, its ingress rules, its registration at Atlas) and never ' +
      'overwrites a record that now holds someone else’s data; what cannot be repaired in place (the ' +
      'endpoint or the service gone) names the commands that make it anew.',
    flags: ['request-id', 'repair'],
    required: ['request-id'],
    runsOn: 'sandbox-or-aws',
    readOnly: true,
    examples: [
      'privatelink verify --request-id cluster0-app-prod',
      'privatelink verify --request-id cluster0-app-prod --repair --json',
    ],
    exits: [
      [0, 'no drift (with --repair: none left)'],
      [1, 'drift: the list says what, and whether --repair puts it back'],
      [2, 'no request with that id is known here'],
    ],
    load: async () => (await import('./verify.ts')).verify,
  },
  {
    name: 'teardown',
    summary: 'run the teardown workflow: remove everything the request made',
    description:
      'Runs the teardown workflow for a request: deletes what it created (records, zones, endpoint, ' +
      'service, ingress rules), in reverse order, and cancels a request still waiting for the other party. ' +
      'Idempotent: run again, it finds nothing left and ends DELETED.',
    flags: ['request-id', 'fault'],
    required: ['request-id'],
    runsOn: 'sandbox-or-aws',
    examples: ['privatelink teardown --request-id cluster0-app-prod'],
    exits: [
      [0, 'DELETED'],
      [1, 'the teardown failed: the result says what is left'],
      [2, 'no request with that id is known, or it is still being provisioned'],
    ],
    load: async () => (await import('./teardown.ts')).teardown,
  },
  {
    name: 'finalize',
    summary: "report the other party's endpoint to its waiting request",
    description:
      'For a hand-off (consumer.external): reports the endpoint the other party created to the workflow ' +
      'waiting for it (status WAITING_FOR_CONSUMER), which checks it, accepts it and finishes.',
    flags: ['request-id', 'endpoint-id', 'dns-name'],
    required: ['request-id', 'endpoint-id'],
    runsOn: 'sandbox-or-aws',
    examples: ['privatelink finalize --request-id hevo-orders --endpoint-id vpce-0123456789abcdef0'],
    exits: [
      [0, 'reported; the waiting workflow carries on'],
      [2, 'the request is not waiting for the other party, or the endpoint id is refused'],
    ],
    load: async () => (await import('./finalize.ts')).finalize,
  },
  {
    name: 'resolve',
    summary: 'what NAME resolves to in a VPC, private zones first (like dig)',
    description:
      'Answers as the Route 53 Resolver of the VPC would: the most specific private hosted zone ' +
      'associated with the VPC that holds NAME answers (its wildcard records too), and a name in such a ' +
      'zone without a matching record is NXDOMAIN; names no private zone holds get the public answers the ' +
      'sandbox publishes (Atlas records, endpoint DNS names). CNAMEs and aliases are followed. Sandbox only.',
    flags: ['type', 'vpc'],
    positional: { name: 'NAME', help: 'the DNS name to look up' },
    runsOn: 'sandbox',
    readOnly: true,
    examples: [
      'privatelink resolve pl-0-us-east-1-k45tj.mongodb.net',
      'privatelink resolve _mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net --type SRV --vpc vpc-0a1b2c3d4e5f67890',
    ],
    exits: [
      [0, 'an answer'],
      [1, 'no answer (NXDOMAIN, or no record of that type)'],
      [2, 'the command line is invalid, or --aws'],
    ],
    load: async () => (await import('./resolve.ts')).resolve,
  },
  {
    name: 'serve',
    summary: 'the HTTP API and the Slack webhook on 127.0.0.1',
    description:
      'Serves the HTTP API and the Slack slash command on 127.0.0.1, answered by the same handlers as in ' +
      'Lambda, over the sandbox (or --aws), until Ctrl-C. The Slack signing secret comes from SLACK_SIGNING_SECRET.',
    flags: ['port', 'fault', 'reset'],
    runsOn: 'sandbox-or-aws',
    examples: ['privatelink serve --port 3000', 'curl -s http://127.0.0.1:3000/endpoints'],
    exits: [
      [0, 'stopped (SIGINT or SIGTERM)'],
      [2, 'the command line is invalid'],
    ],
    load: async () => (await import('./serve.ts')).serve,
  },
  {
    name: 'sandbox inventory',
    summary: 'every resource in the sandbox account',
    description:
      'Lists every resource in the sandbox account: endpoint services, endpoints, hosted zones and their ' +
      'records, and the simulated Atlas organization. Read-only.',
    flags: [],
    runsOn: 'sandbox',
    readOnly: true,
    examples: ['privatelink sandbox inventory', 'privatelink sandbox inventory --json'],
    exits: [
      [0, 'listed'],
      [2, '--aws (the inventory is the sandbox’s)'],
    ],
    load: async () => (await import('./inventory.ts')).inventory,
  },
  {
    name: 'sandbox advance',
    summary: "move the sandbox's simulated clock N seconds on",
    description:
      "Moves the sandbox's simulated clock on, as if N seconds had passed. Workflows waiting on that clock " +
      'see it at once (this process) or within a poll (another process), e.g. a hand-off past its deadline.',
    flags: ['seconds'],
    required: ['seconds'],
    runsOn: 'sandbox',
    examples: ['privatelink sandbox advance --seconds 3600'],
    exits: [
      [0, 'the clock moved'],
      [2, 'the command line is invalid, or --aws'],
    ],
    load: async () => (await import('./sandbox-clock.ts')).advance,
  },
  {
    name: 'sandbox vendor accept',
    summary: 'play the vendor: accept an endpoint waiting for it',
    description:
      "Plays the vendor (e.g. Pinecone's console): accepts the endpoint's connection to the vendor's " +
      'endpoint service, so a run waiting in WAITING_FOR_VENDOR carries on (from this or another terminal).',
    flags: ['endpoint-id'],
    required: ['endpoint-id'],
    runsOn: 'sandbox',
    examples: ['privatelink sandbox vendor accept --endpoint-id vpce-0123456789abcdef0'],
    exits: [
      [0, 'accepted'],
      [2, "the endpoint is not pending on a vendor's service, or --aws"],
    ],
    load: async () => (await import('./sandbox-vendor.ts')).accept,
  },
  {
    name: 'sandbox vendor reject',
    summary: 'play the vendor: reject an endpoint waiting for it',
    description:
      "Plays the vendor: rejects the endpoint's connection to the vendor's endpoint service; a run waiting " +
      'for it ends FAILED (EndpointRejected) and undoes what it made.',
    flags: ['endpoint-id'],
    required: ['endpoint-id'],
    runsOn: 'sandbox',
    examples: ['privatelink sandbox vendor reject --endpoint-id vpce-0123456789abcdef0'],
    exits: [
      [0, 'rejected'],
      [2, "the endpoint is not pending on a vendor's service, or --aws"],
    ],
    load: async () => (await import('./sandbox-vendor.ts')).reject,
  },
  {
    name: 'sandbox consumer create-endpoint',
    summary: 'play the other party of a hand-off: create its endpoint',
    description:
      'Plays the other party of a hand-off (consumer.external): creates the interface endpoint in their ' +
      "account's VPC of the seed, to the service the waiting request names, and prints its id, to report " +
      'with `privatelink finalize`.',
    flags: ['request-id'],
    required: ['request-id'],
    runsOn: 'sandbox',
    examples: [
      'privatelink sandbox consumer create-endpoint --request-id hevo-orders',
      'privatelink finalize --request-id hevo-orders --endpoint-id "$(privatelink sandbox consumer create-endpoint --request-id hevo-orders --json | jq -r .endpointId)"',
    ],
    exits: [
      [0, 'created; the id is printed'],
      [1, 'AWS (the sandbox) refused the endpoint; the error says why'],
      [2, 'no such request, it is not a hand-off, or it is not waiting for the other party'],
    ],
    load: async () => (await import('./sandbox-consumer.ts')).createEndpoint,
  },
];

/** `help [COMMAND]`: handled by main itself (it needs the catalog, not an environment). */
export const HELP: CommandSpec = {
  name: 'help',
  summary: "the commands, or one command's usage",
  description: "Prints the list of commands, or one command's usage: what it does, its flags, examples and exit codes.",
  flags: [],
  positional: { name: 'COMMAND', help: 'the command to explain' },
  runsOn: 'nothing',
  examples: ['privatelink help', 'privatelink help provision', 'privatelink provision --help'],
  exits: [
    [0, 'usage printed'],
    [2, 'no such command'],
  ],
  load: async () => () => 0,
};

/** By name, for lookups. */
export const COMMANDS: Record<string, CommandSpec> = Object.fromEntries(
  [...COMMAND_LIST, HELP].map((spec) => [spec.name, spec]),
);
