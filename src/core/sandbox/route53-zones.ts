// Hosted zones as the sandbox stores them, and the checks and defaults that belong to a zone.
import type { VPC } from '@aws-sdk/client-route-53';
import { AWS_REGIONS } from '../domain/regions.ts';
import { fail, invalidInput } from './route53-errors.ts';
import type { StoredRecordSet } from './route53-records.ts';

export type StoredVpc = { VPCRegion: string; VPCId: string };

export interface StoredZone {
  /** without the /hostedzone/ prefix */
  id: string;
  /** lowercased, with the trailing dot */
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  vpcs: StoredVpc[];
  recordSets: StoredRecordSet[];
  /** in the order they were added, as ListTagsForResource returns them */
  tags: { Key: string; Value: string }[];
  /** simulated epoch ms of the last accepted ChangeResourceRecordSets */
  lastChangeAt?: number;
}

const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** Private zones get this fixed delegation; only public zones get name servers of their own. */
export const PRIVATE_NAME_SERVERS = [
  'ns-1536.awsdns-00.co.uk.',
  'ns-0.awsdns-00.com.',
  'ns-1024.awsdns-00.org.',
  'ns-512.awsdns-00.net.',
];
export function publicNameServers(zoneId: string): string[] {
  const h = [...zoneId].reduce((sum, c) => sum * 31 + c.charCodeAt(0), 7) % 100_000;
  const suffix = String(h % 64).padStart(2, '0');
  return [
    `ns-${h % 512}.awsdns-${suffix}.com.`,
    `ns-${512 + (h % 512)}.awsdns-${suffix}.net.`,
    `ns-${1024 + (h % 512)}.awsdns-${suffix}.org.`,
    `ns-${1536 + (h % 512)}.awsdns-${suffix}.co.uk.`,
  ];
}

export function sameVpc(a: StoredVpc, b: StoredVpc): boolean {
  return a.VPCId === b.VPCId && a.VPCRegion === b.VPCRegion;
}

export function checkVpc(vpc: VPC | undefined): StoredVpc {
  if (!vpc?.VPCId || !VPC_ID.test(vpc.VPCId)) {
    throw fail(
      'InvalidVPCId',
      `The VPC ID '${vpc?.VPCId ?? ''}' either isn't a valid ID or the current account is not authorized to access this VPC.`,
    );
  }
  if (!(AWS_REGIONS as readonly string[]).includes(vpc.VPCRegion ?? '')) {
    throw invalidInput(
      `1 validation error detected: Value '${vpc.VPCRegion ?? 'null'}' at 'vPC.vPCRegion' failed to satisfy constraint: ` +
        'Member must satisfy enum value set',
    );
  }
  return { VPCRegion: vpc.VPCRegion as string, VPCId: vpc.VPCId };
}
