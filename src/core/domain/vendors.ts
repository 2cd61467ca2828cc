// Known vendors without an API: what their documentation says an AWS consumer needs (service names,
// private DNS) and the exact action someone must take on the vendor's side. Pure data and functions.
// Source: Pinecone, "Configure private endpoints" (steps 1 and 3), summarised in VENDORS.md §3.

export const KNOWN_VENDORS = ['pinecone'] as const;
export type KnownVendor = (typeof KNOWN_VENDORS)[number];

export interface VendorRegion {
  /** the vendor's endpoint service in that region */
  serviceName: string;
  /** the private zone its private hosts live in, which takes one wildcard record */
  privateZone: string;
}

/** Pinecone's AWS regions. Azure and GCP rows are not for this product. */
const PINECONE_AWS: Readonly<Record<string, VendorRegion>> = {
  'us-east-1': {
    serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-05ef6f1f0b9130b54',
    privateZone: 'private.aped-4627-b74a.pinecone.io',
  },
  'us-west-2': {
    serviceName: 'com.amazonaws.vpce.us-west-2.vpce-svc-04ecb9a0e0d5aab01',
    privateZone: 'private.apw5-4e34-81fa.pinecone.io',
  },
  'eu-west-1': {
    serviceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-03c6b7e17ff02a70f',
    privateZone: 'private.apu-57e2-42f6.pinecone.io',
  },
  'eu-central-1': {
    serviceName: 'com.amazonaws.vpce.eu-central-1.vpce-svc-037997ff6b3d25e34',
    privateZone: 'private.apec-a2ee-38c6.pinecone.io',
  },
  'ap-southeast-1': {
    serviceName: 'com.amazonaws.vpce.ap-southeast-1.vpce-svc-0c12f00812e786068',
    privateZone: 'private.aps-d9bb-582b.pinecone.io',
  },
};

const VENDOR_REGIONS: Readonly<Record<KnownVendor, Readonly<Record<string, VendorRegion>>>> = {
  pinecone: PINECONE_AWS,
};

export function isKnownVendor(name: unknown): name is KnownVendor {
  return typeof name === 'string' && (KNOWN_VENDORS as readonly string[]).includes(name);
}

/** The vendor's table row for an AWS region; undefined where the vendor offers no private endpoint. */
export function vendorRegion(vendor: KnownVendor, region: string): VendorRegion | undefined {
  const table = VENDOR_REGIONS[vendor];
  return Object.hasOwn(table, region) ? table[region] : undefined;
}

/** The vendor's endpoint service name in `region`, or undefined where it has none. */
export function vendorServiceName(vendor: KnownVendor, region: string): string | undefined {
  return vendorRegion(vendor, region)?.serviceName;
}

/** The AWS regions the vendor serves privately, in name order (for error messages). */
export function vendorRegions(vendor: KnownVendor): string[] {
  return Object.keys(VENDOR_REGIONS[vendor]).sort();
}

// Index hosts: `<index>-<id>.svc.<env>.pinecone.io` and, privately, `<index>-<id>.svc.private.<env>.pinecone.io`.
// An environment is one label on AWS (aped-4627-b74a) and GCP (us-west1-gcp), two on Azure (eastus2-5e25.prod-azure).
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const ENVIRONMENT = `${LABEL}(?:\\.${LABEL})?`;
const PRIVATE_HOST = new RegExp(`^(${LABEL})\\.svc\\.private\\.(${ENVIRONMENT})\\.pinecone\\.io$`);
const PUBLIC_HOST = new RegExp(`^(${LABEL})\\.svc\\.(${ENVIRONMENT})\\.pinecone\\.io$`);

const normalise = (host: string) => host.toLowerCase().replace(/\.$/, '');

/** The private form of a Pinecone index host (a private host as it is, a public one with `.svc.private.`). */
export function pineconePrivateHost(host: string): string | undefined {
  const name = normalise(host);
  if (PRIVATE_HOST.test(name)) return name;
  const match = PUBLIC_HOST.exec(name);
  const env = match?.[2];
  if (!match || env === undefined || env === 'private' || env.startsWith('private.')) return undefined;
  return `${match[1]}.svc.private.${env}.pinecone.io`;
}

/** Whether `host` is already a Pinecone private index host (what Pinecone's private DNS serves). */
export function isPineconePrivateHost(host: string): boolean {
  return PRIVATE_HOST.test(normalise(host));
}

/** `private.<env>.pinecone.io` for a Pinecone index host, private or public; else undefined. */
export function pineconePrivateZone(host: string): string | undefined {
  const match = PRIVATE_HOST.exec(pineconePrivateHost(host) ?? '');
  return match ? `private.${match[2]}.pinecone.io` : undefined;
}

/** The AWS region whose Pinecone environment the host belongs to, from the table; else undefined. */
export function pineconeRegionOf(host: string): string | undefined {
  const zone = pineconePrivateZone(host);
  return Object.entries(PINECONE_AWS).find(([, row]) => row.privateZone === zone)?.[0];
}

/**
 * What someone must do on the vendor's side for `endpointId`. Pinecone has no API for it: its console's
 * Settings > Network > Add an endpoint, where one picks the cloud and region and enters the VPC endpoint id.
 */
export function vendorAction(vendor: KnownVendor, endpointId: string, region: string): string {
  switch (vendor) {
    case 'pinecone':
      return `Register ${endpointId} in the Pinecone console: Settings > Network > Add an endpoint (AWS, ${region})`;
  }
}
