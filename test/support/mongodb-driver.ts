// The real MongoDB driver against records served from a loopback DNS server: what an application in
// the VPC would resolve. Only 127.0.0.1 is used; the driver never opens a socket to a database.
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { MongoClient, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import type { RecordSet } from '../../src/core/ports.ts';
import { type DnsTestServer, startDnsServer } from './dns-server.ts';

/** Serves the records and points Node's resolver (which the driver uses) at them, restoring it after. */
export async function withDns<T>(records: RecordSet[], run: (server: DnsTestServer) => Promise<T>): Promise<T> {
  const server = await startDnsServer(records);
  const previous = dns.getServers();
  dns.setServers([`127.0.0.1:${server.port}`]);
  try {
    return await run(server);
  } finally {
    dns.setServers(previous);
    await server.close();
  }
}

const OFFLINE = 'no database connections in tests';

/** An application adds its credentials to the string; the driver applies a TXT authSource only then. */
export const withCredentials = (uri: string) => uri.replace('://', '://app:secret@');

export interface DriverView {
  hosts: string[];
  replicaSet: string | undefined;
  loadBalanced: boolean;
  tls: boolean;
  authSource: string | undefined;
  /** host name → the addresses our DNS gave for it, for every connection the driver tried */
  addresses: Record<string, string[]>;
}

export function viewOf(client: MongoClient, addresses: Record<string, string[]> = {}): DriverView {
  const { options } = client;
  return {
    hosts: options.hosts.map(String).sort(),
    replicaSet: options.replicaSet,
    loadBalanced: options.loadBalanced,
    tls: options.tls,
    authSource: options.credentials?.source,
    addresses,
  };
}

/**
 * What the driver makes of a connection string once it has tried to connect: the SRV and TXT
 * records resolved into hosts and options (MongoClient.connect does that first). Every socket goes
 * through `lookup`, which looks the name up in our DNS (to show where the driver would go) and then
 * fails, so no connection to 10.0.x.x is ever attempted. Any other error (a bad TXT record, a
 * rejected SRV target, a failed lookup) is thrown as the application would see it.
 */
export async function connectAndView(uri: string): Promise<DriverView> {
  const addresses: Record<string, string[]> = {};
  const lookup: LookupFunction = (hostname, _options, callback) => {
    dns.promises
      .resolve4(hostname)
      .then((ips) => {
        addresses[hostname] = ips;
      })
      .catch(() => {
        addresses[hostname] = [];
      })
      .finally(() => {
        const offline = Object.assign(new Error(`${hostname}: ${OFFLINE}`), {
          code: 'ENOTFOUND',
        });
        callback(offline, '', 4);
      });
  };
  const client = new MongoClient(uri, { lookup, serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 });
  try {
    await client.connect().catch((error: unknown) => {
      // Only our lookup's refusal is expected: a replica set then fails server selection, a load
      // balancer its first connection. Anything else (a DNS failure, a bad TXT record) is the result.
      const offline = error instanceof MongoServerSelectionError || error instanceof MongoNetworkError;
      if (!offline || !String(error.message).includes(OFFLINE)) throw error;
    });
    return viewOf(client, addresses);
  } finally {
    await client.close();
  }
}

/** What the driver makes of a standard string: parsed by the constructor, nothing resolved. */
export const parseStandard = (uri: string): DriverView => viewOf(new MongoClient(uri));
