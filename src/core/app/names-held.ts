// The deployed API's name check (HTTP, Slack, the Cluster Created starter), over this Lambda's Route 53
// client: read-only calls, before a request's first execution (src/core/aws/sfn.ts).
import { route53Client } from '../aws/clients.ts';
import { buildRoute53Adapter } from '../aws/route53.ts';
import type { ProvisionRequest } from '../domain/request.ts';
import { traced } from '../observability.ts';
import { refuseNamesHeldInAccount } from './name-claims.ts';

export function refuseNamesHeld(request: ProvisionRequest): Promise<void> {
  return refuseNamesHeldInAccount(request, buildRoute53Adapter(traced(route53Client())));
}
