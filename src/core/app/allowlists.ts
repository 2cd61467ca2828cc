// The deployment's allowlists applied to a request, before any AWS call.
import { type Allowlists, allowlistIssues, readAllowlists } from '../config.ts';
import { zoneNamesFor } from '../domain/dns-plan.ts';
import type { ProvisionRequest } from '../domain/request.ts';
import { type FieldIssue, RequestNotAllowedError } from '../errors.ts';

const ARN_ACCOUNT = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/;

export function requestAllowlistIssues(request: ProvisionRequest, lists: Allowlists): FieldIssue[] {
  const accounts: { path: string; accountId: string }[] = [];
  const issues: FieldIssue[] = [];
  if ('external' in request.consumer)
    accounts.push({ path: 'consumer.external.accountId', accountId: request.consumer.external.accountId });
  if ('create' in request.service) {
    for (const [i, arn] of request.service.create.networkLoadBalancerArns.entries())
      accounts.push({
        path: `service.create.networkLoadBalancerArns.${i}`,
        accountId: ARN_ACCOUNT.exec(arn)?.[1] ?? '',
      });
    for (const [i, principal] of request.service.create.allowedPrincipals.entries()) {
      const path = `service.create.allowedPrincipals.${i}`;
      if (principal === '*' && lists.accounts)
        issues.push({ path, message: '"*" allows every account, and PRIVATELINK_ALLOWED_ACCOUNTS is set' });
      else if (principal !== '*') accounts.push({ path, accountId: ARN_ACCOUNT.exec(principal)?.[1] ?? '' });
    }
  }
  const vpcIds = 'vpcId' in request.consumer ? [{ path: 'consumer.vpcId', vpcId: request.consumer.vpcId }] : [];
  const zoneNames =
    'vpcId' in request.consumer
      ? zoneNamesFor(request).map((name) => ({
          path: request.dns.zoneName
            ? 'dns.zoneName'
            : name === request.target?.host.toLowerCase()
              ? 'target.host'
              : 'target.srvHost',
          name,
        }))
      : [];
  return [...issues, ...allowlistIssues({ vpcIds, accounts, zoneNames }, lists)];
}

/** Throws RequestNotAllowedError when a configured allowlist does not cover the request. */
export function enforceAllowlists(request: ProvisionRequest, lists: Allowlists = readAllowlists()): void {
  const issues = requestAllowlistIssues(request, lists);
  if (issues.length > 0) throw new RequestNotAllowedError(issues);
}
