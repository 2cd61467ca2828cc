// The ports `plan` and `verify` use: the steps' own adapters (the SDK clients the sandbox sits behind,
// or AWS at AWS_ENDPOINT_URL; Atlas at ATLAS_BASE_URL), throttled calls repeated as the steps repeat
// them, and, unless repairing, every method that would change something refused before it is sent.
import { atlasPortFromEnvironment } from '../atlas/credentials.ts';
import { stepPorts } from '../aws/step-ports.ts';
import { clock } from '../clock.ts';
import type { AtlasPort, Ec2Port, Route53Port } from '../ports.ts';
import { retryingPort } from '../steps/throttled.ts';

/** The calls that only read (Describe*, List*, Get*), per port: every other method is refused. */
export const READS: Record<'ec2' | 'route53' | 'atlas', ReadonlySet<string>> = {
  ec2: new Set([
    'findEndpointServicesByTag',
    'describeServiceByName',
    'listServiceConnections',
    'findEndpointsByTag',
    'describeEndpoint',
    'privateIps',
    'findIngressRulesByTag',
  ]),
  route53: new Set(['findZonesByName', 'getZone', 'findZonesByTag', 'listRecords', 'changeStatus']),
  atlas: new Set(['listEndpointServices', 'getEndpointService', 'getEndpoint', 'getCluster']),
};

/** Thrown for a write through a read-only port: a bug in plan or verify, never an answer of AWS. */
export class ReadOnlyViolationError extends Error {
  override readonly name = 'ReadOnlyViolationError' as const;
}

/** `port` with every method but its reads refused. */
export function readOnly<T extends object>(port: T, service: keyof typeof READS): T {
  const reads = READS[service];
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || (typeof key === 'string' && reads.has(key))) return value;
      return () => {
        throw new ReadOnlyViolationError(`${service}.${String(key)} changes the account; plan and verify only read`);
      };
    },
  });
}

export interface CheckPorts {
  ec2: Ec2Port;
  route53: Route53Port;
  atlas?: AtlasPort;
}

/** The ports for `region`, read-only unless `writable` (verify --repair). */
export function checkPorts(region: string, withAtlas: boolean, writable = false): CheckPorts {
  const ports = stepPorts(region);
  const guard = <T extends object>(port: T, service: keyof typeof READS) => (writable ? port : readOnly(port, service));
  return {
    ec2: guard(retryingPort(ports.ec2, clock), 'ec2'),
    route53: guard(retryingPort(ports.route53, clock), 'route53'),
    ...(withAtlas && { atlas: guard(atlasPortFromEnvironment(), 'atlas') }),
  };
}

export function readOnlyPorts(region: string, withAtlas: boolean): CheckPorts {
  return checkPorts(region, withAtlas, false);
}
