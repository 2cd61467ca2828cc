// The DNS plan and the connection strings, checked by the real MongoDB driver: the plan's records are
// served from a loopback DNS server, and the driver resolves the mongodb+srv string against them the
// way an application would. Only 127.0.0.1 is used; the driver never opens a socket to a database.
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectionStrings } from '../../src/core/domain/connection-strings.ts';
import { type EndpointDnsFacts, planDns } from '../../src/core/domain/dns-plan.ts';
import {
  type ProvisionRequest,
  parseProvisionRequest,
  requireProvisionRequest,
  requireTarget,
} from '../../src/core/domain/request.ts';
import type { RecordSet } from '../../src/core/ports.ts';
import { parseTxtValue } from '../support/dns-server.ts';
import { connectAndView, parseStandard, withCredentials, withDns } from '../support/mongodb-driver.ts';

const endpoint: EndpointDnsFacts = {
  privateIps: ['10.0.2.20', '10.0.1.15'],
  dnsName: 'vpce-0a1b2c3d4e5f67890-abcd1234.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com',
  hostedZoneId: 'Z7HUB22UULQXV',
};

const exampleRequest = (file: string): ProvisionRequest =>
  requireProvisionRequest(JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8')));

const recordsOf = (request: ProvisionRequest): RecordSet[] => planDns(request, endpoint).flatMap((p) => p.records);

describe.each([
  {
    file: 'atlas-replica-set.json',
    hosts: [
      'pl-0-us-east-1-k45tj.mongodb.net:1024',
      'pl-0-us-east-1-k45tj.mongodb.net:1025',
      'pl-0-us-east-1-k45tj.mongodb.net:1026',
    ],
    replicaSet: 'Cluster0-shard-0',
    loadBalanced: false,
  },
  {
    file: 'atlas-serverless.json',
    hosts: ['pl-0-lb-us-east-1-k45tj.mongodb.net:27017'],
    replicaSet: undefined,
    loadBalanced: true,
  },
])('$file through the MongoDB driver', ({ file, hosts, replicaSet, loadBalanced }) => {
  const request = exampleRequest(file);
  const strings = connectionStrings(requireTarget(request));
  const expected = { hosts, replicaSet, loadBalanced, tls: true, authSource: 'admin' };

  it('resolves the mongodb+srv string to exactly the cluster hosts and the TXT options', async () => {
    expect(strings.srv).toMatch(/^mongodb\+srv:\/\//);
    const view = await withDns(recordsOf(request), () => connectAndView(withCredentials(strings.srv ?? '')));
    expect(view).toMatchObject(expected);
    // the host names resolve, in the VPC, to the endpoint's private addresses
    const host = requireTarget(request).host;
    expect(view.addresses[host]).toEqual(['10.0.1.15', '10.0.2.20']);
  });

  it('parses the standard string to the same hosts and options, without DNS', () => {
    expect(parseStandard(withCredentials(strings.standard ?? ''))).toMatchObject(expected);
  });

  it('asks our DNS for the SRV and TXT names the plan wrote', async () => {
    const queries = await withDns(recordsOf(request), async (server) => {
      await connectAndView(strings.srv ?? '');
      return server.queries;
    });
    const target = requireTarget(request);
    const srvHost = target.kind === 'mongodb' ? target.srvHost : undefined;
    expect(queries).toEqual(expect.arrayContaining([`SRV _mongodb._tcp.${srvHost}`, `TXT ${srvHost}`]));
  });
});

describe('what the driver refuses, and why the plan avoids it', () => {
  const request = exampleRequest('atlas-replica-set.json');
  const srv = withCredentials(connectionStrings(requireTarget(request)).srv ?? '');
  const replaceTxt = (values: string[]) => recordsOf(request).map((r) => (r.type === 'TXT' ? { ...r, values } : r));

  it('a TXT record with any option but authSource, replicaSet and loadBalanced', async () => {
    // e.g. someone "helpfully" adding tls=false or a timeout to the seedlist
    for (const txt of ['"authSource=admin&tls=false"', '"replicaSet=Cluster0-shard-0&connectTimeoutMS=1000"']) {
      await expect(withDns(replaceTxt([txt]), () => connectAndView(srv))).rejects.toThrow(
        /Text record may only set any of: authSource, replicaSet, loadBalanced/,
      );
    }
  });

  it('more than one TXT record at the srvHost', async () => {
    await expect(
      withDns(replaceTxt(['"authSource=admin"', '"replicaSet=Cluster0-shard-0"']), () => connectAndView(srv)),
    ).rejects.toThrow(/Multiple text records not allowed/);
  });

  it('a TXT option with an empty value', async () => {
    await expect(withDns(replaceTxt(['"authSource=&replicaSet=rs0"']), () => connectAndView(srv))).rejects.toThrow(
      /empty URI params/,
    );
  });

  it('accepts the plan’s own TXT record (the control for the cases above)', async () => {
    const view = await withDns(recordsOf(request), () => connectAndView(srv));
    expect(view.replicaSet).toBe('Cluster0-shard-0');
  });

  it('an SRV target outside the srvHost’s parent domain, which the schema refuses first', async () => {
    // Bypass the schema to build the request it refuses: the driver would reject it at connect time.
    const stray = {
      ...request,
      target: { ...requireTarget(request), host: 'pl-0.db.example.com', srvHost: 'cluster0-pl-0-k45tj.mongodb.net' },
    } as ProvisionRequest;
    const parsed = parseProvisionRequest({ ...stray, requestId: 'stray' });
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.path)).toContain('target.srvHost');
    const uri = withCredentials(connectionStrings(requireTarget(stray)).srv ?? '');
    await expect(withDns(recordsOf(stray), () => connectAndView(uri))).rejects.toThrow(
      /does not share hostname with parent URI/,
    );
  });

  it('a load-balanced seedlist with more than one host', async () => {
    const serverless = exampleRequest('atlas-serverless.json');
    const records = recordsOf(serverless).map((r) =>
      r.type === 'SRV' ? { ...r, values: [...r.values, r.values[0]?.replace('27017', '27018') ?? ''] } : r,
    );
    const uri = withCredentials(connectionStrings(requireTarget(serverless)).srv ?? '');
    await expect(withDns(records, () => connectAndView(uri))).rejects.toThrow(/only supported with a single host/);
  });
});

describe('the test DNS server', () => {
  it('answers like Route 53 would: NXDOMAIN for unknown names, NODATA for a missing type', async () => {
    const records = recordsOf(exampleRequest('atlas-replica-set.json'));
    await withDns(records, async () => {
      await expect(dns.promises.resolveTxt('cluster0-pl-0-k45tj.mongodb.net')).resolves.toEqual([
        ['authSource=admin&replicaSet=Cluster0-shard-0'],
      ]);
      await expect(dns.promises.resolveTxt('pl-0-us-east-1-k45tj.mongodb.net')).rejects.toMatchObject({
        code: 'ENODATA',
      });
      await expect(dns.promises.resolve4('unknown.mongodb.net')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    });
  });

  it('reads Route 53 TXT values: several quoted strings, escapes and octal bytes', () => {
    expect(parseTxtValue('"a=b" "c\\"d" "e\\\\f" "\\101"')).toEqual(['a=b', 'c"d', 'e\\f', 'A']);
    expect(parseTxtValue('unquoted')).toEqual(['unquoted']);
    expect(() => parseTxtValue('"open')).toThrow(/quoted strings/);
  });
});
