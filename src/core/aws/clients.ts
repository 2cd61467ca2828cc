// SDK clients, created once per module and region. Hooks let the sandbox attach its middleware to
// the very clients the steps use, without this module (or a Lambda bundle) importing the sandbox.
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';

export type AwsClient = EC2Client | Route53Client;
type ClientHook = (client: AwsClient) => void;

const hooks = new Set<ClientHook>();
const ec2Clients = new Map<string, EC2Client>();
let route53: Route53Client | undefined;

function created<T extends AwsClient>(client: T): T {
  for (const hook of hooks) hook(client);
  return client;
}

export function ec2Client(region: string): EC2Client {
  let client = ec2Clients.get(region);
  if (!client) {
    client = created(new EC2Client({ region }));
    ec2Clients.set(region, client);
  }
  return client;
}

/** Route 53 is global; its control plane answers in us-east-1. */
export function route53Client(): Route53Client {
  route53 ??= created(new Route53Client({ region: 'us-east-1' }));
  return route53;
}

/** Runs `hook` on every client created from now on and on those that exist. Returns an unsubscribe. */
export function onClientCreated(hook: ClientHook): () => void {
  hooks.add(hook);
  for (const client of ec2Clients.values()) hook(client);
  if (route53) hook(route53);
  return () => hooks.delete(hook);
}

/** Forgets every client (tests and the CLI switch between sandbox and AWS). */
export function resetClients(): void {
  ec2Clients.clear();
  route53 = undefined;
}
