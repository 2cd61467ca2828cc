// The deployment's allowlists, as the edges (CLI, HTTP, Slack) apply them before starting anything: the
// decision is the domain's (src/core/domain/allowlists.ts), the lists come from the environment.
import { readAllowlists } from '../config.ts';
import { type Allowlists, refuseOutsideAllowlists } from '../domain/allowlists.ts';
import type { ProvisionRequest } from '../domain/request.ts';

export { requestAllowlistIssues } from '../domain/allowlists.ts';

/** Throws RequestNotAllowedError when a configured allowlist does not cover the request. */
export function enforceAllowlists(request: ProvisionRequest, lists: Allowlists = readAllowlists()): void {
  refuseOutsideAllowlists(request, lists);
}
