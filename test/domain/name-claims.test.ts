// Which names a request writes in its VPC, and when two requests collide on one.
import { describe, expect, it } from 'vitest';
import { claimedNames, findNameCollision, findNameHeld } from '../../src/core/domain/name-claims.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../../src/core/domain/request.ts';

const base = {
  region: 'us-east-1',
  service: { serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' },
  consumer: {
    vpcId: 'vpc-0a1b2c3d4e5f67890',
    subnetIds: ['subnet-0a1b2c3d4e5f67890'],
    securityGroupIds: ['sg-0fedcba9876543210'],
  },
};

function request(requestId: string, fields: Record<string, unknown>): ProvisionRequest {
  return requireProvisionRequest({ ...base, requestId, ...fields });
}

const cluster0 = request('cluster0', {
  target: {
    kind: 'mongodb',
    host: 'pl-0-us-east-1-k45tj.mongodb.net',
    ports: [1024, 1025],
    srvHost: 'cluster0-pl-0-k45tj.mongodb.net',
    replicaSet: 'Cluster0-shard-0',
    authSource: 'admin',
  },
});

describe('claimedNames', () => {
  it('a seedlist request claims its host record, the SRV and the TXT, each in its zone', () => {
    expect(claimedNames(cluster0)).toEqual([
      {
        vpcId: base.consumer.vpcId,
        zoneName: 'cluster0-pl-0-k45tj.mongodb.net',
        name: '_mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net',
        type: 'SRV',
      },
      {
        vpcId: base.consumer.vpcId,
        zoneName: 'cluster0-pl-0-k45tj.mongodb.net',
        name: 'cluster0-pl-0-k45tj.mongodb.net',
        type: 'TXT',
      },
      {
        vpcId: base.consumer.vpcId,
        zoneName: 'pl-0-us-east-1-k45tj.mongodb.net',
        name: 'pl-0-us-east-1-k45tj.mongodb.net',
        type: 'A',
      },
    ]);
  });

  it('an external consumer writes no DNS of ours, so claims nothing', () => {
    const external = request('partner', {
      consumer: { external: { accountId: '444455556666' } },
      service: {
        create: {
          networkLoadBalancerArns: [
            'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/0123456789abcdef',
          ],
        },
      },
      target: { kind: 'tcp', host: 'orders.internal.example.com', port: 443 },
    });
    expect(claimedNames(external)).toEqual([]);
  });
});

describe('findNameCollision', () => {
  it("a request with its own host but cluster0's srvHost collides on the SRV record, naming cluster0", () => {
    const cluster1 = request('cluster1', {
      target: { ...cluster0.target, host: 'pl-1-us-east-1-k45tj.mongodb.net' },
    });
    expect(findNameCollision(cluster1, [{ requestId: 'cluster0', request: cluster0 }])).toEqual({
      otherRequestId: 'cluster0',
      record: 'SRV _mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net',
      zoneName: 'cluster0-pl-0-k45tj.mongodb.net',
    });
  });

  it('the same names in another VPC do not collide: private zones answer per VPC', () => {
    const elsewhere = request('cluster0-staging', {
      consumer: { ...base.consumer, vpcId: 'vpc-0fffffffffffffff0' },
      target: cluster0.target,
    });
    expect(findNameCollision(elsewhere, [{ requestId: 'cluster0', request: cluster0 }])).toBeUndefined();
  });

  it('a CNAME collides with any record at its name; different names never collide', () => {
    const orders = request('orders', { target: { kind: 'tcp', host: 'db.orders.example.com', port: 443 } });
    const cname = request('orders-cname', {
      target: { kind: 'tcp', host: 'db.orders.example.com', port: 443 },
      dns: { records: 'CNAME', zoneName: 'orders.example.com' },
    });
    expect(findNameCollision(cname, [{ requestId: 'orders', request: orders }])?.record).toBe(
      'CNAME db.orders.example.com',
    );
    expect(findNameCollision(orders, [{ requestId: 'cluster0', request: cluster0 }])).toBeUndefined();
  });
});

describe('findNameHeld (the deployed API, from Route 53)', () => {
  const srvZone = 'cluster0-pl-0-k45tj.mongodb.net';
  const srv = { name: `_mongodb._tcp.${srvZone}`, type: 'SRV', values: ['0 0 1024 pl-0-us-east-1-k45tj.mongodb.net'] };
  const cluster1 = request('cluster1', { target: { ...cluster0.target, host: 'pl-1-us-east-1-k45tj.mongodb.net' } });

  it('a record at a claimed name in a zone another request made names that request', () => {
    expect(
      findNameHeld(claimedNames(cluster1), [
        { zoneName: srvZone, createdByRequest: false, creator: 'cluster0', records: [srv] },
      ]),
    ).toEqual({ record: `SRV _mongodb._tcp.${srvZone}`, zoneName: srvZone, heldBy: 'cluster0' });
  });

  it("in a zone made outside this tool it names no request; in the request's own zone nothing is held", () => {
    expect(
      findNameHeld(claimedNames(cluster1), [{ zoneName: srvZone, createdByRequest: false, records: [srv] }]),
    ).toEqual({ record: `SRV _mongodb._tcp.${srvZone}`, zoneName: srvZone });
    expect(
      findNameHeld(claimedNames(cluster1), [{ zoneName: srvZone, createdByRequest: true, records: [srv] }]),
    ).toBeUndefined();
  });

  it('other names in the zone (the apex SOA and NS, another host) hold nothing of ours', () => {
    const soa = { name: srvZone, type: 'SOA', values: ['ns. hostmaster. 1 7200 900 1209600 86400'] };
    expect(
      findNameHeld(claimedNames(cluster1), [
        { zoneName: srvZone, createdByRequest: false, creator: 'cluster0', records: [soa] },
      ]),
    ).toBeUndefined();
  });
});
