// Deployment configuration read from the environment, through one helper so every value is parsed
// (and refused when malformed) in one place. Allowlists are optional: unset means "any".
import type { FieldIssue } from './errors.ts';

export interface Allowlists {
  /** PRIVATELINK_ALLOWED_VPCS: consumer VPC ids */
  vpcs?: string[];
  /** PRIVATELINK_ALLOWED_ACCOUNTS: AWS accounts a request may name (external consumer, principals, NLBs) */
  accounts?: string[];
  /** PRIVATELINK_ALLOWED_ZONE_SUFFIXES: private hosted zones must be one of these names or under one */
  zoneSuffixes?: string[];
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError' as const;
}

const LIST_ITEM = {
  PRIVATELINK_ALLOWED_VPCS: /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/,
  PRIVATELINK_ALLOWED_ACCOUNTS: /^\d{12}$/,
  PRIVATELINK_ALLOWED_ZONE_SUFFIXES: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
} as const;

/** A comma-separated list from the environment; undefined when unset or blank. */
export function readList(name: keyof typeof LIST_ITEM, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/\.$/, ''))
    .filter((s) => s.length > 0);
  const bad = items.find((item) => !LIST_ITEM[name].test(item));
  if (bad !== undefined) throw new ConfigurationError(`${name} holds "${bad.slice(0, 80)}", which is not valid there`);
  return items;
}

export function readAllowlists(env: NodeJS.ProcessEnv = process.env): Allowlists {
  const vpcs = readList('PRIVATELINK_ALLOWED_VPCS', env);
  const accounts = readList('PRIVATELINK_ALLOWED_ACCOUNTS', env);
  const zoneSuffixes = readList('PRIVATELINK_ALLOWED_ZONE_SUFFIXES', env);
  return { ...(vpcs && { vpcs }), ...(accounts && { accounts }), ...(zoneSuffixes && { zoneSuffixes }) };
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
