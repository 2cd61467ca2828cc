// A simulated Atlas cluster's private-endpoint host names, connection strings and the public DNS records
// Atlas publishes for them: for AWS, "the hostname in the SRV record and the standard connection string
// is a DNS Canonical Name (CNAME) record that resolves to the endpoint-specific regional DNS name that AWS
// generates for the interface endpoint" (MongoDB, private endpoints; VENDORS §1.6).
import type { AtlasPrivateEndpointStrings } from '../ports.ts';
import { type AtlasClusterSeed, atlasRegion } from './atlas-state.ts';
import { alnum } from './ec2-shared.ts';

export interface PublicDnsRecord {
  name: string;
  type: 'A' | 'CNAME' | 'SRV' | 'TXT';
  /** presentation format, as Route 53 lists them: TXT values quoted, names without a trailing dot */
  values: string[];
}

const FIRST_PORT = 1024;

/** The cluster's own short hash (`k45tj` in `cluster0.k45tj.mongodb.net`), from its project and name. */
export function clusterHash(projectId: string, clusterName: string): string {
  return alnum(`${projectId}:${clusterName}`, 5);
}

export function replicaSetName(projectId: string, clusterName: string): string {
  return `atlas-${alnum(`${projectId}:${clusterName}:replicaSet`, 6)}-shard-0`;
}

export interface PrivateHosts {
  /** pl-N-<region>.<hash>.mongodb.net, one port per node */
  host: string;
  ports: number[];
  /** <cluster>-pl-N.<hash>.mongodb.net */
  srvHost: string;
  /** sharded clusters only: (inference) <cluster>-pl-N-lb.<hash>.mongodb.net */
  shardOptimizedSrvHost?: string;
  /** what the seedlist TXT record holds */
  txt: string;
}

export function privateHosts(projectId: string, cluster: AtlasClusterSeed, index: number): PrivateHosts {
  const hash = clusterHash(projectId, cluster.name);
  const label = cluster.name.toLowerCase();
  const sharded = cluster.type === 'SHARDED';
  return {
    host: `pl-${index}-${cluster.region}.${hash}.mongodb.net`,
    ports: Array.from({ length: cluster.nodes }, (_, i) => FIRST_PORT + i),
    srvHost: `${label}-pl-${index}.${hash}.mongodb.net`,
    ...(sharded && { shardOptimizedSrvHost: `${label}-pl-${index}-lb.${hash}.mongodb.net` }),
    // mongos need no replicaSet option
    txt: sharded ? 'authSource=admin' : `authSource=admin&replicaSet=${replicaSetName(projectId, cluster.name)}`,
  };
}

/** connectionStrings.privateEndpoint[n] for one AVAILABLE endpoint (SPEC L10556-10609). */
export function privateEndpointStrings(
  projectId: string,
  cluster: AtlasClusterSeed,
  index: number,
  endpointId: string,
): AtlasPrivateEndpointStrings {
  const h = privateHosts(projectId, cluster, index);
  const seeds = h.ports.map((port) => `${h.host}:${port}`).join(',');
  return {
    connectionString: `mongodb://${seeds}/?ssl=true&${h.txt}`,
    srvConnectionString: `mongodb+srv://${h.srvHost}`,
    ...(h.shardOptimizedSrvHost && { srvShardOptimizedConnectionString: `mongodb+srv://${h.shardOptimizedSrvHost}` }),
    type: cluster.type === 'SHARDED' ? 'MONGOS' : 'MONGOD',
    endpoints: [{ endpointId, providerName: 'AWS', region: atlasRegion(cluster.region) }],
  };
}

/** The public (non-private-endpoint) strings every cluster has. */
export function publicStrings(projectId: string, cluster: AtlasClusterSeed): { standard: string; standardSrv: string } {
  const hash = clusterHash(projectId, cluster.name);
  const label = cluster.name.toLowerCase();
  const hosts = Array.from(
    { length: cluster.nodes },
    (_, i) => `${label}-shard-00-${String(i).padStart(2, '0')}.${hash}.mongodb.net:27017`,
  );
  const options =
    cluster.type === 'SHARDED'
      ? 'authSource=admin'
      : `authSource=admin&replicaSet=${replicaSetName(projectId, cluster.name)}`;
  return {
    standard: `mongodb://${hosts.join(',')}/?ssl=true&${options}`,
    standardSrv: `mongodb+srv://${label}.${hash}.mongodb.net`,
  };
}

/** Atlas's public records for one endpoint's hosts: the seedlist SRV and TXT, and the pl- CNAME. */
export function privateEndpointDns(
  projectId: string,
  cluster: AtlasClusterSeed,
  index: number,
  endpointDnsName: string,
): PublicDnsRecord[] {
  const h = privateHosts(projectId, cluster, index);
  const srv = h.ports.map((port) => `0 0 ${port} ${h.host}`);
  const seedlist = (srvHost: string): PublicDnsRecord[] => [
    { name: `_mongodb._tcp.${srvHost}`, type: 'SRV', values: srv },
    { name: srvHost, type: 'TXT', values: [`"${h.txt}"`] },
  ];
  return [
    { name: h.host, type: 'CNAME', values: [endpointDnsName] },
    ...seedlist(h.srvHost),
    ...(h.shardOptimizedSrvHost ? seedlist(h.shardOptimizedSrvHost) : []),
  ];
}
