// The table of vendors without an API, as Pinecone documents it (VENDORS.md §3), and the names derived
// from an index host.
import { describe, expect, it } from 'vitest';
import {
  isKnownVendor,
  isPineconePrivateHost,
  pineconePrivateHost,
  pineconePrivateZone,
  pineconeRegionOf,
  vendorAction,
  vendorRegion,
  vendorRegions,
  vendorServiceName,
} from '../../src/core/domain/vendors.ts';

describe('vendorServiceName', () => {
  it("gives Pinecone's endpoint service for each AWS region it documents", () => {
    expect(
      Object.fromEntries(vendorRegions('pinecone').map((region) => [region, vendorServiceName('pinecone', region)])),
    ).toStrictEqual({
      'ap-southeast-1': 'com.amazonaws.vpce.ap-southeast-1.vpce-svc-0c12f00812e786068',
      'eu-central-1': 'com.amazonaws.vpce.eu-central-1.vpce-svc-037997ff6b3d25e34',
      'eu-west-1': 'com.amazonaws.vpce.eu-west-1.vpce-svc-03c6b7e17ff02a70f',
      'us-east-1': 'com.amazonaws.vpce.us-east-1.vpce-svc-05ef6f1f0b9130b54',
      'us-west-2': 'com.amazonaws.vpce.us-west-2.vpce-svc-04ecb9a0e0d5aab01',
    });
  });

  it('names each service in its own region', () => {
    for (const region of vendorRegions('pinecone'))
      expect(vendorServiceName('pinecone', region)).toMatch(
        new RegExp(`^com\\.amazonaws\\.vpce\\.${region}\\.vpce-svc-`),
      );
  });

  it('has none where Pinecone offers no private endpoint, and no row for inherited names', () => {
    expect(vendorServiceName('pinecone', 'ap-northeast-1')).toBeUndefined();
    expect(vendorServiceName('pinecone', 'eastus2')).toBeUndefined();
    expect(vendorRegion('pinecone', 'constructor')).toBeUndefined();
    expect(vendorRegion('pinecone', '__proto__')).toBeUndefined();
  });

  it("gives each region's private zone", () => {
    expect(vendorRegion('pinecone', 'us-west-2')).toStrictEqual({
      serviceName: 'com.amazonaws.vpce.us-west-2.vpce-svc-04ecb9a0e0d5aab01',
      privateZone: 'private.apw5-4e34-81fa.pinecone.io',
    });
  });
});

describe('isKnownVendor', () => {
  it('knows pinecone only', () => {
    expect(isKnownVendor('pinecone')).toBe(true);
    expect(isKnownVendor('Pinecone')).toBe(false);
    expect(isKnownVendor('atlas')).toBe(false);
    expect(isKnownVendor(undefined)).toBe(false);
  });
});

describe('Pinecone hosts', () => {
  const privateHost = 'docs-example-jl7boae.svc.private.aped-4627-b74a.pinecone.io';
  const publicHost = 'docs-example-jl7boae.svc.aped-4627-b74a.pinecone.io';

  it('derives the private zone from a private host', () => {
    expect(pineconePrivateZone(privateHost)).toBe('private.aped-4627-b74a.pinecone.io');
    // Pinecone's API reference example (a GCP environment)
    expect(pineconePrivateZone('semantic-search-c01b5b5.svc.private.us-west1-gcp.pinecone.io')).toBe(
      'private.us-west1-gcp.pinecone.io',
    );
  });

  it('derives the private host and zone from a public host', () => {
    expect(pineconePrivateHost(publicHost)).toBe(privateHost);
    expect(pineconePrivateZone(publicHost)).toBe('private.aped-4627-b74a.pinecone.io');
  });

  it('takes a private host as it is, lowercased and without a trailing dot', () => {
    expect(pineconePrivateHost(privateHost)).toBe(privateHost);
    expect(pineconePrivateHost(`${privateHost.toUpperCase()}.`)).toBe(privateHost);
    expect(pineconePrivateZone(`${privateHost.toUpperCase()}.`)).toBe('private.aped-4627-b74a.pinecone.io');
  });

  it('tells private hosts from public ones', () => {
    expect(isPineconePrivateHost(privateHost)).toBe(true);
    expect(isPineconePrivateHost(publicHost)).toBe(false);
    expect(isPineconePrivateHost('orders-db.internal.example.com')).toBe(false);
  });

  it('knows an Azure environment of two labels', () => {
    expect(pineconePrivateZone('idx-1a2b3c4.svc.private.eastus2-5e25.prod-azure.pinecone.io')).toBe(
      'private.eastus2-5e25.prod-azure.pinecone.io',
    );
  });

  it('derives nothing from names that are not index hosts', () => {
    for (const host of [
      'pinecone.io',
      'api.pinecone.io',
      'svc.aped-4627-b74a.pinecone.io',
      'idx.aped-4627-b74a.pinecone.io',
      'idx.svc.private.pinecone.io',
      'idx.svc.aped-4627-b74a.pinecone.io.evil.com',
      'idx.svc.aped-4627-b74a.pinecone.com',
      'a.b.svc.aped-4627-b74a.pinecone.io',
      '-idx.svc.aped-4627-b74a.pinecone.io',
      'idx.svc.private.a.b.c.pinecone.io',
    ]) {
      expect(pineconePrivateHost(host), host).toBeUndefined();
      expect(pineconePrivateZone(host), host).toBeUndefined();
    }
  });

  it("finds the AWS region of a host's environment from the table", () => {
    expect(pineconeRegionOf(privateHost)).toBe('us-east-1');
    expect(pineconeRegionOf('x-1.svc.apec-a2ee-38c6.pinecone.io')).toBe('eu-central-1');
    expect(pineconeRegionOf('x-1.svc.private.us-west1-gcp.pinecone.io')).toBeUndefined();
    expect(pineconeRegionOf('orders-db.internal.example.com')).toBeUndefined();
  });

  it("each region's zone is the one its hosts derive", () => {
    for (const region of vendorRegions('pinecone')) {
      const zone = vendorRegion('pinecone', region)?.privateZone ?? '';
      const env = zone.replace(/^private\./, '').replace(/\.pinecone\.io$/, '');
      expect(pineconePrivateZone(`idx-0a1b2c3.svc.${env}.pinecone.io`)).toBe(zone);
      expect(pineconeRegionOf(`idx-0a1b2c3.svc.private.${env}.pinecone.io`)).toBe(region);
    }
  });
});

describe('vendorAction', () => {
  it("says exactly what to do in Pinecone's console", () => {
    expect(vendorAction('pinecone', 'vpce-0123456789abcdef0', 'eu-west-1')).toBe(
      'Register vpce-0123456789abcdef0 in the Pinecone console: Settings > Network > Add an endpoint (AWS, eu-west-1)',
    );
  });
});
