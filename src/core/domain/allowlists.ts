// The deployment's allowlists applied to a request, before any AWS call: a pure decision over the
// lists (src/core/config.ts reads them from the environment).
import { type FieldIssue, RequestNotAllowedError } from '../errors.ts';
import { zoneNamesFor } from './dns-plan.ts';
import type { ProvisionRequest } from './request.ts';

export interface Allowlists {
  /** PRIVATELINK_ALLOWED_VPCS: consumer VPC ids */
  vpcs?: string[];
  /** PRIVATELINK_ALLOWED_ACCOUNTS: AWS accounts a request may name (external consumer, principals, NLBs) */
  accounts?: string[];
  /** PRIVATELINK_ALLOWED_ZONE_SUFFIXES: private hosted zones must be one of these names or under one */
  zoneSuffixes?: string[];
  /** PRIVATELINK_ALLOWED_LOAD_BALANCERS: the NLB ARNs an endpoint service may be created for */
  loadBalancers?: string[];
  /**
   * PRIVATELINK_REQUIRE_ALLOWLISTS (set in AWS): creating an endpoint service and granting principals
   * need the load balancers and accounts allowlists; without them such requests are refused.
   */
  required?: boolean;
}

/** The facts of a request an allowlist can refuse. */
export interface AllowlistSubject {
  vpcIds: { path: string; vpcId: string }[];
  accounts: { path: string; accountId: string }[];
  zoneNames: { path: string; name: string }[];
}

export function allowlistIssues(subject: AllowlistSubject, lists: Allowlists): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (lists.vpcs)
    for (const { path, vpcId } of subject.vpcIds)
      if (!lists.vpcs.includes(vpcId))
        issues.push({ path, message: `${vpcId} is not an allowed VPC (PRIVATELINK_ALLOWED_VPCS)` });
  if (lists.accounts)
    for (const { path, accountId } of subject.accounts)
      if (!lists.accounts.includes(accountId))
        issues.push({ path, message: `account ${accountId} is not an allowed account (PRIVATELINK_ALLOWED_ACCOUNTS)` });
  const suffixes = lists.zoneSuffixes;
  if (suffixes)
    for (const { path, name } of subject.zoneNames)
      if (!suffixes.some((s) => name === s || name.endsWith(`.${s}`)))
        issues.push({
          path,
          message: `a private hosted zone ${name} is not under an allowed suffix (PRIVATELINK_ALLOWED_ZONE_SUFFIXES)`,
        });
  return issues;
}

const ARN_ACCOUNT = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/;

export function requestAllowlistIssues(request: ProvisionRequest, lists: Allowlists): FieldIssue[] {
  const accounts: { path: string; accountId: string }[] = [];
  const issues: FieldIssue[] = [];
  if ('external' in request.consumer)
    accounts.push({ path: 'consumer.external.accountId', accountId: request.consumer.external.accountId });
  if ('create' in request.service) {
    issues.push(...createIssues(request.service.create, request, lists));
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

/**
 * Where the deployment requires allowlists (AWS), creating an endpoint service in front of an NLB and
 * granting principals are refused unless the NLB and the accounts are listed: an open default would let
 * anyone who may start the workflow expose any NLB of the account to any principal.
 */
function createIssues(
  create: { networkLoadBalancerArns: string[]; allowedPrincipals: string[] },
  request: ProvisionRequest,
  lists: Allowlists,
): FieldIssue[] {
  if (!lists.required) return [];
  const issues: FieldIssue[] = [];
  create.networkLoadBalancerArns.forEach((arn, i) => {
    if (!lists.loadBalancers?.includes(arn.toLowerCase()))
      issues.push({
        path: `service.create.networkLoadBalancerArns.${i}`,
        message: lists.loadBalancers
          ? `${arn} is not an allowed load balancer (PRIVATELINK_ALLOWED_LOAD_BALANCERS)`
          : 'this deployment allows no load balancers: set PRIVATELINK_ALLOWED_LOAD_BALANCERS (the allowedLoadBalancers parameter)',
      });
  });
  const grants = create.allowedPrincipals.length > 0 || 'external' in request.consumer;
  if (grants && !lists.accounts)
    issues.push({
      path: 'external' in request.consumer ? 'consumer.external.accountId' : 'service.create.allowedPrincipals',
      message: 'this deployment grants no principals: set PRIVATELINK_ALLOWED_ACCOUNTS (the allowedAccounts parameter)',
    });
  return issues;
}

/** Throws RequestNotAllowedError when a configured allowlist does not cover the request. */
export function refuseOutsideAllowlists(request: ProvisionRequest, lists: Allowlists): void {
  const issues = requestAllowlistIssues(request, lists);
  if (issues.length > 0) throw new RequestNotAllowedError(issues);
}
