// IPv4 CIDR arithmetic for the seed checks and the ENI address allocation.

export interface Cidr {
  /** the network address as an unsigned 32-bit number */
  base: number;
  prefix: number;
  /** number of addresses in the block */
  size: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** `a.b.c.d/n` with the host bits zero; undefined otherwise. */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const base = parseIpv4(match[1]);
  const prefix = Number(match[2]);
  if (base === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined;
  return { base, prefix, size };
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}
