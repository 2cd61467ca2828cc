// A loopback DNS server for public names as a recursive resolver answers them: a question for a name
// that holds a CNAME gets the CNAME and then the chain's answers for the type asked (RFC 1034 §3.6.2),
// which Atlas's pl- hosts need (CNAME → vpce-….vpce.amazonaws.com → A). Otherwise as
// test/support/dns-server.ts: NXDOMAIN for an unknown name, NODATA for a known one without the type.
import { createServer, Packet, type Resource } from 'dns2';
import type { RecordSet } from '../../src/core/ports.ts';
import { parseTxtValue } from './dns-server.ts';

export interface PublicDnsServer {
  port: number;
  /** every question received, as "TYPE name", in order */
  queries: string[];
  close(): Promise<void>;
}

const TYPE_NAMES = new Map<number, string>(Object.entries(Packet.TYPE).map(([name, code]) => [code, name]));
const NXDOMAIN = 3;
const SERVFAIL = 2;
const MAX_CHAIN = 8;

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

export async function startPublicDnsServer(records: RecordSet[]): Promise<PublicDnsServer> {
  const byName = new Map<string, RecordSet[]>();
  for (const record of records) {
    const name = normalise(record.name);
    byName.set(name, [...(byName.get(name) ?? []), record]);
  }
  const queries: string[] = [];

  const server = createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      try {
        for (const question of request.questions) {
          const typeName = TYPE_NAMES.get(question.type) ?? String(question.type);
          queries.push(`${typeName} ${normalise(question.name)}`);
          let name = normalise(question.name);
          if (!byName.has(name)) {
            response.header.rcode = NXDOMAIN;
            continue;
          }
          for (let hop = 0; hop < MAX_CHAIN; hop++) {
            const atName = byName.get(name) ?? [];
            const cname = atName.find((r) => r.type === 'CNAME');
            if (cname && typeName !== 'CNAME') {
              const target = normalise(cname.values[0] ?? '');
              response.answers.push(answer(name, Packet.TYPE.CNAME, 'CNAME', cname.values[0] ?? '', cname.ttl));
              name = target;
              continue;
            }
            for (const record of atName.filter((r) => r.type === typeName))
              for (const value of record.values)
                response.answers.push(answer(name, question.type, typeName, value, record.ttl));
            break;
          }
        }
      } catch {
        response.header.rcode = SERVFAIL;
        response.answers = [];
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp?.port;
  if (!port) throw new Error('the DNS test server did not report its UDP port');
  return { port, queries, close: () => server.close() };
}

function answer(name: string, type: number, typeName: string, value: string, ttl = 60): Resource {
  return { name, type, class: Packet.CLASS.IN, ttl, ...rdata(typeName, value) } as Resource;
}

/** The presentation value of one record, as dns2 encodes it. */
function rdata(type: string, value: string): Partial<Resource> {
  switch (type) {
    case 'A':
      return { address: value };
    case 'CNAME':
      return { domain: normalise(value) };
    case 'SRV': {
      const [priority, weight, port, target] = value.trim().split(/\s+/);
      if (target === undefined) throw new Error(`SRV value "${value}" is not "priority weight port target"`);
      return { priority: Number(priority), weight: Number(weight), port: Number(port), target: normalise(target) };
    }
    case 'TXT':
      return { data: parseTxtValue(value) };
    default:
      throw new Error(`record type ${type} is not served`);
  }
}
