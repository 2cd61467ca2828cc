// What the application puts in its configuration once the endpoint and DNS are in place.
import type { MongoTarget, Target } from './request.ts';

export interface ConnectionStrings {
  /** mongodb:// with every host:port, TLS and the cluster's options */
  standard?: string;
  /** mongodb+srv://, when a seedlist is published; options then come from the TXT record */
  srv?: string;
  /** Atlas's sharded clusters: the SRV string optimized for sharding, where Atlas gives one */
  srvShardOptimized?: string;
  /** https and tcp targets */
  url?: string;
}

/**
 * The options a MongoDB seedlist TXT record may carry, in the order the contract fixes.
 * Also the options the standard string appends after tls=true, so both strings mean the same.
 */
export function seedlistOptions(target: MongoTarget): [name: string, value: string][] {
  const options: [string, string][] = [];
  if (target.authSource) options.push(['authSource', target.authSource]);
  if (target.replicaSet) options.push(['replicaSet', target.replicaSet]);
  if (target.loadBalanced) options.push(['loadBalanced', 'true']);
  return options;
}

/** Ports in ascending order, so strings and SRV records list the nodes the same way every time. */
export function sortedPorts(ports: number[]): number[] {
  return [...ports].sort((a, b) => a - b);
}

export function connectionStrings(target: Target): ConnectionStrings {
  switch (target.kind) {
    case 'mongodb': {
      const hosts = sortedPorts(target.ports).map((port) => `${target.host}:${port}`);
      // The schema restricts option values to URI-safe characters, so nothing needs escaping.
      const query = [['tls', 'true'], ...seedlistOptions(target)].map(([k, v]) => `${k}=${v}`).join('&');
      const strings: ConnectionStrings = { standard: `mongodb://${hosts.join(',')}/?${query}` };
      if (target.srvHost) strings.srv = `mongodb+srv://${target.srvHost}/`;
      return strings;
    }
    case 'https':
      return { url: target.port === 443 ? `https://${target.host}` : `https://${target.host}:${target.port}` };
    case 'tcp':
      return { url: `${target.scheme}://${target.host}:${target.port}` };
  }
}
