// A loopback DNS server answering from Route 53-style record sets, so real resolvers (Node's
// c-ares, and the MongoDB driver on top of it) can be pointed at a DNS plan in tests.
import { createServer, Packet, type Resource } from 'dns2';
import type { RecordSet } from '../../src/core/ports.ts';

export interface DnsTestServer {
  port: number;
  /** every question received, as "TYPE name", in order */
  queries: string[];
  close(): Promise<void>;
}

const TYPE_NAMES = new Map<number, string>(Object.entries(Packet.TYPE).map(([name, code]) => [code, name]));
const NXDOMAIN = 3;
const SERVFAIL = 2;

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

export interface DnsServerOptions {
  /**
   * Answer as a recursive resolver does for public names: a question for a name holding a CNAME gets
   * the CNAME and then the chain's answers for the type asked (RFC 1034 §3.6.2), which Atlas's pl- hosts
   * need (CNAME → vpce-….vpce.amazonaws.com → A). Off: an authoritative server's answer (aa set).
   */
  followCnames?: boolean;
}

const MAX_CHAIN = 8;

/**
 * Starts a UDP server on 127.0.0.1 (a free port) that answers A, SRV, TXT and CNAME queries from
 * the given records. A name with no record at all is NXDOMAIN; a known name without the asked
 * type is an empty NOERROR answer (NODATA), as an authoritative server does. Alias records carry
 * no values and are not answered.
 */
export async function startDnsServer(records: RecordSet[], options: DnsServerOptions = {}): Promise<DnsTestServer> {
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
      if (!options.followCnames) response.header.aa = 1;
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
            const cname = options.followCnames ? atName.find((r) => r.type === 'CNAME') : undefined;
            if (cname && typeName !== 'CNAME') {
              response.answers.push(answer(name, Packet.TYPE.CNAME, 'CNAME', cname.values[0] ?? '', cname.ttl));
              name = normalise(cname.values[0] ?? '');
              continue;
            }
            for (const record of atName.filter((r) => r.type === typeName))
              for (const value of record.values)
                response.answers.push(answer(name, question.type, typeName, value, record.ttl));
            break;
          }
        }
      } catch {
        // a record this harness cannot encode: fail loudly rather than let the resolver time out
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

/** The Route 53 value of one record, as dns2 encodes it. */
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

/**
 * Route 53's TXT wire form: one or more quoted character strings, `\"` and `\\` escaped, other
 * bytes as `\ddd` octal. An unquoted value is taken as one string.
 */
export function parseTxtValue(value: string): string[] {
  if (!value.trimStart().startsWith('"')) return [value];
  const strings: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"\s*/gy;
  re.lastIndex = value.length - value.trimStart().length;
  let match = re.exec(value);
  while (match) {
    strings.push(
      (match[1] ?? '').replace(/\\([0-7]{3}|.)/g, (_, esc: string) =>
        esc.length === 3 ? String.fromCharCode(Number.parseInt(esc, 8)) : esc,
      ),
    );
    if (re.lastIndex === value.length) return strings;
    match = re.exec(value);
  }
  throw new Error(`TXT value ${value} is not a sequence of quoted strings`);
}
