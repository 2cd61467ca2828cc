// Deployment configuration read from the environment, through one helper so every value is parsed
// (and refused when malformed) in one place. Allowlists are optional: unset means "any".
import type { Allowlists } from './domain/allowlists.ts';

export type { Allowlists };

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError' as const;
}

const LIST_ITEM = {
  PRIVATELINK_ALLOWED_VPCS: /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/,
  PRIVATELINK_ALLOWED_ACCOUNTS: /^\d{12}$/,
  PRIVATELINK_ALLOWED_ZONE_SUFFIXES: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
  PRIVATELINK_ALLOWED_LOAD_BALANCERS:
    /^arn:aws(-cn|-us-gov)?:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/net\/[a-z0-9-]{1,32}\/[0-9a-f]{16}$/,
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
  const loadBalancers = readList('PRIVATELINK_ALLOWED_LOAD_BALANCERS', env);
  const required = env.PRIVATELINK_REQUIRE_ALLOWLISTS?.trim() === 'true';
  return {
    ...(vpcs && { vpcs }),
    ...(accounts && { accounts }),
    ...(zoneSuffixes && { zoneSuffixes }),
    ...(loadBalancers && { loadBalancers }),
    ...(required && { required }),
  };
}
