// The seed's vendors, other accounts and Atlas organization: defaults as the contract gives them,
// and an error naming the field for each mistake.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED_PATH, loadSeed, parseSeed, SeedError } from '../../src/core/sandbox/seed.ts';

const ACCOUNT = '111122223333';
const SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const PROJECT = '6123456789abcdef01234567';

function base(): Record<string, unknown> {
  return {
    accountId: ACCOUNT,
    vpcs: [
      {
        vpcId: 'vpc-0a1b2c3d4e5f67890',
        region: 'us-east-1',
        cidr: '10.0.0.0/16',
        subnets: [{ subnetId: 'subnet-0a1b2c3d4e5f67890', cidr: '10.0.1.0/24', availabilityZone: 'us-east-1a' }],
      },
    ],
  };
}

function issuesOf(raw: unknown): { path: string; message: string }[] {
  try {
    parseSeed(raw, 'seed.json');
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    return (error as SeedError).issues;
  }
  throw new Error('the seed was accepted');
}

describe('the default seed', () => {
  it("holds Pinecone's us-east-1 service, waiting for someone to register endpoints in Pinecone's console", async () => {
    const seed = await loadSeed(DEFAULT_SEED_PATH);
    const pinecone = seed.endpointServices.find(
      (s) => s.serviceName === 'com.amazonaws.vpce.us-east-1.vpce-svc-05ef6f1f0b9130b54',
    );
    expect(pinecone).toEqual({
      serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-05ef6f1f0b9130b54',
      acceptanceRequired: true,
      owner: '999988887777',
      allowedPrincipals: ['*'],
    });
    const others = seed.endpointServices.filter((s) => s !== pinecone);
    expect(others.map((s) => s.acceptanceRequired)).toEqual([false, false, false]);
  });

  it("holds a partner's VPC in account 444455556666 with two subnets of its own CIDR", async () => {
    const seed = await loadSeed(DEFAULT_SEED_PATH);
    const partner = seed.vpcs.filter((v) => v.accountId === '444455556666');
    expect(partner).toHaveLength(1);
    expect(partner[0]).toMatchObject({ region: 'us-east-1', cidr: '10.20.0.0/16' });
    expect(partner[0]?.subnets.map((s) => s.availabilityZone)).toEqual(['us-east-1a', 'us-east-1b']);
    expect(seed.vpcs.filter((v) => v.accountId === undefined)).toHaveLength(1);
  });

  it('holds the Atlas organization of the examples: Cluster0 (replica set) and Orders (sharded)', async () => {
    const seed = await loadSeed(DEFAULT_SEED_PATH);
    expect(seed.atlas).toEqual({
      accountId: '536727724300',
      projects: [
        {
          projectId: PROJECT,
          clusters: [
            { name: 'Cluster0', type: 'REPLICASET', region: 'us-east-1', nodes: 3 },
            { name: 'Orders', type: 'SHARDED', region: 'us-east-1', nodes: 3 },
          ],
        },
      ],
      timing: { serviceReadyAfterSeconds: 180, endpointAvailableAfterSeconds: 120, connectionStringsAfterSeconds: 240 },
      serviceAccount: { clientId: expect.stringMatching(/^mdb_sa_id_/), clientSecret: expect.any(String) },
    });
  });
});

describe('defaults', () => {
  it("makes a vendor's service require acceptance, allow everyone and accept only when the vendor acts", () => {
    const seed = parseSeed({ ...base(), endpointServices: [{ serviceName: SERVICE }] });
    expect(seed.endpointServices).toEqual([
      { serviceName: SERVICE, acceptanceRequired: true, owner: '999988887777', allowedPrincipals: ['*'] },
    ]);
    expect(seed.atlas).toBeUndefined();
  });

  it('fills the Atlas account, timing, service account and node count in', () => {
    const seed = parseSeed({
      ...base(),
      atlas: { projects: [{ projectId: PROJECT, clusters: [{ name: 'c1', type: 'SHARDED', region: 'eu-west-1' }] }] },
    });
    expect(seed.atlas).toEqual({
      accountId: '536727724300',
      projects: [{ projectId: PROJECT, clusters: [{ name: 'c1', type: 'SHARDED', region: 'eu-west-1', nodes: 3 }] }],
      timing: { serviceReadyAfterSeconds: 180, endpointAvailableAfterSeconds: 120, connectionStringsAfterSeconds: 240 },
      serviceAccount: {
        clientId: 'mdb_sa_id_0123456789abcdef01234567',
        clientSecret: 'mdb_sa_sk_sandbox-secret-not-for-production',
      },
    });
    const partial = parseSeed({ ...base(), atlas: { timing: { connectionStringsAfterSeconds: 5 } } });
    expect(partial.atlas?.timing).toEqual({
      serviceReadyAfterSeconds: 180,
      endpointAvailableAfterSeconds: 120,
      connectionStringsAfterSeconds: 5,
    });
    expect(partial.atlas?.projects).toEqual([]);
  });

  it('accepts a $schema reference for editors and keeps the rest strict', () => {
    expect(parseSeed({ $schema: './sandbox-seed.schema.json', ...base() }).accountId).toBe(ACCOUNT);
    expect(issuesOf({ $schema: 42, ...base() })).toEqual([{ path: '$schema', message: expect.any(String) }]);
  });
});

describe('field errors', () => {
  const service = (fields: Record<string, unknown>) => ({
    ...base(),
    endpointServices: [{ serviceName: SERVICE, ...fields }],
  });
  const atlas = (fields: Record<string, unknown>) => ({ ...base(), atlas: fields });
  const cluster = (fields: Record<string, unknown>) =>
    atlas({
      projects: [
        { projectId: PROJECT, clusters: [{ name: 'c1', type: 'REPLICASET', region: 'us-east-1', ...fields }] },
      ],
    });

  it.each([
    [
      'a principal that is not an ARN',
      service({ allowedPrincipals: ['444455556666'] }),
      'endpointServices.0.allowedPrincipals.0',
    ],
    ['no principal at all', service({ allowedPrincipals: [] }), 'endpointServices.0.allowedPrincipals'],
    [
      'a vendor acceptance on a service that needs none',
      service({ acceptanceRequired: false, vendorAcceptsAfterSeconds: 60 }),
      'endpointServices.0.vendorAcceptsAfterSeconds',
    ],
    [
      'a negative vendor delay',
      service({ vendorAcceptsAfterSeconds: -1 }),
      'endpointServices.0.vendorAcceptsAfterSeconds',
    ],
    ['a vendor owned by the sandbox account', service({ owner: ACCOUNT }), 'endpointServices.0.owner'],
    [
      'a VPC account that is not 12 digits',
      { ...base(), vpcs: [{ ...(base().vpcs as object[])[0], accountId: '4444' }] },
      'vpcs.0.accountId',
    ],
    [
      'an Atlas project id that is not 24 hex',
      atlas({ projects: [{ projectId: 'abc' }] }),
      'atlas.projects.0.projectId',
    ],
    ['Atlas in the sandbox account', atlas({ accountId: ACCOUNT }), 'atlas.accountId'],
    ['an unknown Atlas field', atlas({ orgId: 'x' }), 'atlas.orgId'],
    [
      'an unknown Atlas timing',
      atlas({ timing: { clusterReadyAfterSeconds: 1 } }),
      'atlas.timing.clusterReadyAfterSeconds',
    ],
    ['an empty client secret', atlas({ serviceAccount: { clientSecret: '' } }), 'atlas.serviceAccount.clientSecret'],
    ['a cluster type Atlas does not have', cluster({ type: 'GEOSHARDED' }), 'atlas.projects.0.clusters.0.type'],
    ['a cluster name with an underscore', cluster({ name: 'my_cluster' }), 'atlas.projects.0.clusters.0.name'],
    ['a cluster region that is not AWS', cluster({ region: 'US_EAST_1' }), 'atlas.projects.0.clusters.0.region'],
    ['a fractional node count', cluster({ nodes: 2.5 }), 'atlas.projects.0.clusters.0.nodes'],
    [
      'a raised limit of an action the sandbox does not answer',
      { ...base(), ec2RequestLimits: { RunInstances: { capacity: 15, refillPerSecond: 6 } } },
      'ec2RequestLimits.RunInstances',
    ],
    [
      'a raised limit of no tokens',
      { ...base(), ec2RequestLimits: { CreateVpcEndpoint: { capacity: 0, refillPerSecond: 0.3 } } },
      'ec2RequestLimits.CreateVpcEndpoint.capacity',
    ],
    [
      'a refill rate above the capacity',
      { ...base(), ec2RequestLimits: { CreateVpcEndpoint: { capacity: 4, refillPerSecond: 5 } } },
      'ec2RequestLimits.CreateVpcEndpoint',
    ],
  ])('names the field for %s', (_what, raw, path) => {
    expect(issuesOf(raw).map((i) => i.path)).toEqual([path]);
  });

  it('refuses a project declared twice and a cluster named twice in a project, whatever the case', () => {
    const clusters = [
      { name: 'Cluster0', type: 'REPLICASET', region: 'us-east-1' },
      { name: 'cluster0', type: 'SHARDED', region: 'us-east-1' },
    ];
    expect(issuesOf(atlas({ projects: [{ projectId: PROJECT, clusters }, { projectId: PROJECT }] }))).toEqual([
      {
        path: 'atlas.projects.0.clusters.1.name',
        message: 'cluster0 is already a cluster of this project (clusters.0)',
      },
      { path: 'atlas.projects.1.projectId', message: `${PROJECT} is already declared at atlas.projects.0` },
    ]);
  });

  it("keeps AWS's default EC2 limits unless the seed says AWS raised some", () => {
    expect(parseSeed(base()).ec2RequestLimits).toEqual({});
    const raised = { CreateVpcEndpoint: { capacity: 4, refillPerSecond: 0.9 } };
    expect(parseSeed({ ...base(), ec2RequestLimits: raised }).ec2RequestLimits).toEqual(raised);
  });

  it('says why a vendor delay has no effect without acceptance', () => {
    expect(issuesOf(service({ acceptanceRequired: false, vendorAcceptsAfterSeconds: 60 }))[0]?.message).toBe(
      'has no effect: with acceptanceRequired false the service accepts every endpoint at once',
    );
  });
});
