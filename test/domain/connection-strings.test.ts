// The strings the application configures: exact text, because a user pastes them as they are.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectionStrings } from '../../src/core/domain/connection-strings.ts';
import { requireProvisionRequest, requireTarget, type Target } from '../../src/core/domain/request.ts';

const exampleTarget = (file: string, changes: Record<string, unknown> = {}): Target => {
  const raw = JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
  return requireTarget(requireProvisionRequest({ ...raw, target: { ...raw.target, ...changes } }));
};

describe('mongodb', () => {
  it('gives the replica set a standard string with every node and a seedlist string', () => {
    expect(connectionStrings(exampleTarget('atlas-replica-set.json'))).toStrictEqual({
      standard:
        'mongodb://pl-0-us-east-1-k45tj.mongodb.net:1024,pl-0-us-east-1-k45tj.mongodb.net:1025,pl-0-us-east-1-k45tj.mongodb.net:1026/?tls=true&authSource=admin&replicaSet=Cluster0-shard-0',
      srv: 'mongodb+srv://cluster0-pl-0-k45tj.mongodb.net/',
    });
  });

  it('gives a serverless instance loadBalanced=true', () => {
    expect(connectionStrings(exampleTarget('atlas-serverless.json'))).toStrictEqual({
      standard: 'mongodb://pl-0-lb-us-east-1-k45tj.mongodb.net:27017/?tls=true&authSource=admin&loadBalanced=true',
      srv: 'mongodb+srv://serverless0-pl-0-k45tj.mongodb.net/',
    });
  });

  it('lists the nodes in port order, whatever order the request gives', () => {
    const { standard } = connectionStrings(exampleTarget('atlas-replica-set.json', { ports: [1026, 1024, 1025] }));
    expect(standard?.match(/:(\d+)/g)).toEqual([':1024', ':1025', ':1026']);
  });

  it('has no srv string without srvHost, and only tls=true without options', () => {
    const target = exampleTarget('atlas-replica-set.json', {
      srvHost: undefined,
      replicaSet: undefined,
      authSource: undefined,
    });
    expect(connectionStrings(target)).toStrictEqual({
      standard:
        'mongodb://pl-0-us-east-1-k45tj.mongodb.net:1024,pl-0-us-east-1-k45tj.mongodb.net:1025,pl-0-us-east-1-k45tj.mongodb.net:1026/?tls=true',
    });
  });

  it('writes options in the order authSource, replicaSet, loadBalanced, and nothing for loadBalanced false', () => {
    const target = exampleTarget('atlas-replica-set.json', {
      replicaSet: 'rs0',
      authSource: 'admin',
      loadBalanced: false,
      ports: [27017],
    });
    expect(connectionStrings(target).standard).toBe(
      'mongodb://pl-0-us-east-1-k45tj.mongodb.net:27017/?tls=true&authSource=admin&replicaSet=rs0',
    );
  });
});

describe('https', () => {
  it('leaves out the default port', () => {
    expect(connectionStrings(exampleTarget('pinecone-index.json'))).toStrictEqual({
      url: 'https://my-index-abc1234.svc.private.aped-4627-b74a.pinecone.io',
    });
    expect(connectionStrings(exampleTarget('pinecone-index.json', { port: undefined })).url).toBe(
      'https://my-index-abc1234.svc.private.aped-4627-b74a.pinecone.io',
    );
  });

  it('writes any other port', () => {
    expect(connectionStrings(exampleTarget('pinecone-index.json', { port: 8443 })).url).toBe(
      'https://my-index-abc1234.svc.private.aped-4627-b74a.pinecone.io:8443',
    );
  });
});

describe('tcp', () => {
  it('uses the scheme and always writes the port', () => {
    expect(connectionStrings(exampleTarget('orders-nlb-tcp.json'))).toStrictEqual({
      url: 'postgresql://orders-db.internal.example.com:5432',
    });
  });

  it('defaults the scheme to tcp', () => {
    expect(connectionStrings(exampleTarget('orders-nlb-tcp.json', { scheme: undefined })).url).toBe(
      'tcp://orders-db.internal.example.com:5432',
    );
  });
});
