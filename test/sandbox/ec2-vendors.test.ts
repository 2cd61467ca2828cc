// Vendors' endpoint services as AWS has them: acceptance required unless the seed says otherwise,
// accepted only when the vendor acts, visible only to the principals they allow.
import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { VendorActionError } from '../../src/core/sandbox/ec2.ts';
import type { SandboxSeedInput } from '../../src/core/sandbox/seed.ts';
import { type Ec2Harness, ec2Code, ec2Harness } from './ec2-harness.ts';

const ACCOUNT = '111122223333';
const VPC = 'vpc-0a1b2c3d4e5f67890';
const SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'];
const svc = (hex: string) => `com.amazonaws.vpce.us-east-1.vpce-svc-${hex}`;
/** the seed says nothing about acceptance: a vendor's service requires it */
const PINECONE = svc('05ef6f1f0b9130b54');
const OPEN = svc('0aaaaaaaaaaaaaaa0');
const AUTO = svc('0bbbbbbbbbbbbbbb0');
const PRIVATE = svc('0ccccccccccccccc0');
const FOR_OUR_ROLE = svc('0ddddddddddddddd0');
const VENDOR = '999988887777';
const ATLAS_ACCOUNT = '536727724300';

const SEED: SandboxSeedInput = {
  accountId: ACCOUNT,
  vpcs: [
    {
      vpcId: VPC,
      region: 'us-east-1',
      cidr: '10.0.0.0/16',
      subnets: [
        { subnetId: SUBNETS[0] ?? '', cidr: '10.0.1.0/24', availabilityZone: 'us-east-1a' },
        { subnetId: SUBNETS[1] ?? '', cidr: '10.0.2.0/24', availabilityZone: 'us-east-1b' },
      ],
    },
  ],
  endpointServices: [
    { serviceName: PINECONE },
    { serviceName: OPEN, acceptanceRequired: false },
    { serviceName: AUTO, vendorAcceptsAfterSeconds: 300 },
    { serviceName: PRIVATE, allowedPrincipals: ['arn:aws:iam::444455556666:root'] },
    { serviceName: FOR_OUR_ROLE, allowedPrincipals: [`arn:aws:iam::${ACCOUNT}:role/platform`] },
  ],
};

let h: Ec2Harness;
let ec2: EC2Client;

beforeEach(() => {
  h = ec2Harness(SEED);
  ec2 = h.client();
});

async function endpointTo(serviceName: string): Promise<string> {
  const { VpcEndpoint } = await ec2.send(
    new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface',
      VpcId: VPC,
      ServiceName: serviceName,
      SubnetIds: SUBNETS,
    }),
  );
  const id = VpcEndpoint?.VpcEndpointId;
  if (!id) throw new Error('no endpoint id in the answer');
  return id;
}

async function stateOf(endpointId: string): Promise<string | undefined> {
  const { VpcEndpoints } = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
  return VpcEndpoints?.[0]?.State;
}

function vendorError(action: () => unknown): VendorActionError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(VendorActionError);
    expect((error as Error).name).toBe('VendorActionError');
    return error as VendorActionError;
  }
  throw new Error('the vendor action did not fail');
}

describe('acceptance', () => {
  it('requires acceptance of a seed vendor service by default and waits a day without the vendor acting', async () => {
    const { ServiceDetails = [] } = await ec2.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: [PINECONE] }),
    );
    expect(ServiceDetails[0]).toMatchObject({ ServiceName: PINECONE, AcceptanceRequired: true, Owner: VENDOR });
    const endpointId = await endpointTo(PINECONE);
    expect(await stateOf(endpointId)).toBe('pendingAcceptance');
    h.advance(86_400);
    expect(await stateOf(endpointId)).toBe('pendingAcceptance');
  });

  it('goes pending when the vendor accepts, then available after endpointAvailableAfterSeconds', async () => {
    const endpointId = await endpointTo(PINECONE);
    h.advance(600);
    expect(h.sim.vendorDecide(endpointId, 'accept')).toEqual({
      endpointId,
      serviceId: 'vpce-svc-05ef6f1f0b9130b54',
      state: 'pending',
    });
    expect(await stateOf(endpointId)).toBe('pending');
    h.advance(119);
    expect(await stateOf(endpointId)).toBe('pending');
    h.advance(1);
    expect(await stateOf(endpointId)).toBe('available');
  });

  it('keeps a rejected endpoint rejected until it is deleted, as AWS does', async () => {
    const endpointId = await endpointTo(PINECONE);
    expect(h.sim.vendorDecide(endpointId, 'reject', VENDOR).state).toBe('rejected');
    h.advance(7 * 86_400);
    expect(await stateOf(endpointId)).toBe('rejected');
    const { Unsuccessful } = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    expect(Unsuccessful).toEqual([]);
    expect(await stateOf(endpointId)).toBe('deleting');
  });

  it('accepts on its own vendorAcceptsAfterSeconds after creation when the seed says so', async () => {
    const endpointId = await endpointTo(AUTO);
    h.advance(299);
    expect(await stateOf(endpointId)).toBe('pendingAcceptance');
    h.advance(1);
    expect(await stateOf(endpointId)).toBe('pending');
    h.advance(120);
    expect(await stateOf(endpointId)).toBe('available');
  });

  it('lets the vendor reject before its own acceptance comes', async () => {
    const endpointId = await endpointTo(AUTO);
    h.advance(100);
    h.sim.vendorDecide(endpointId, 'reject');
    h.advance(1000);
    expect(await stateOf(endpointId)).toBe('rejected');
  });

  it('connects at once to a service whose seed says acceptanceRequired false', async () => {
    const endpointId = await endpointTo(OPEN);
    expect(await stateOf(endpointId)).toBe('pending');
    h.advance(120);
    expect(await stateOf(endpointId)).toBe('available');
  });

  it('rejects, under --fault endpoint:rejected, after the timing vendorAcceptsAfterSeconds', async () => {
    h.setFate('rejected');
    const endpointId = await endpointTo(OPEN);
    h.advance(59);
    expect(await stateOf(endpointId)).toBe('pendingAcceptance');
    h.advance(1);
    expect(await stateOf(endpointId)).toBe('rejected');
  });

  it('refuses to act on an unknown endpoint, one not waiting for acceptance, or as another owner', async () => {
    expect(vendorError(() => h.sim.vendorDecide('vpce-0000000000000000f', 'accept')).message).toMatch(
      /no endpoint vpce-0000000000000000f exists/,
    );
    const waiting = await endpointTo(PINECONE);
    expect(vendorError(() => h.sim.vendorDecide(waiting, 'accept', ATLAS_ACCOUNT)).message).toBe(
      `${waiting} connects to vpce-svc-05ef6f1f0b9130b54, owned by ${VENDOR}, not by ${ATLAS_ACCOUNT}`,
    );
    expect(await stateOf(waiting)).toBe('pendingAcceptance');
    h.sim.vendorDecide(waiting, 'accept');
    expect(vendorError(() => h.sim.vendorDecide(waiting, 'reject')).message).toMatch(
      /is pending, not pendingAcceptance: there is nothing to reject/,
    );
    const open = await endpointTo(OPEN);
    expect(vendorError(() => h.sim.vendorDecide(open, 'accept')).message).toMatch(/is pending, not pendingAcceptance/);
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [open] }));
    expect(vendorError(() => h.sim.vendorDecide(open, 'accept')).message).toMatch(/is deleting/);
  });
});

describe('allowed principals', () => {
  it('hides a service that does not allow the account: InvalidServiceName by name, absent from the list', async () => {
    expect(await ec2Code(ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [PRIVATE] })))).toBe(
      'InvalidServiceName',
    );
    const { ServiceNames = [] } = await ec2.send(new DescribeVpcEndpointServicesCommand({}));
    expect(ServiceNames).toEqual([PINECONE, OPEN, AUTO, FOR_OUR_ROLE]);
  });

  it('refuses an endpoint to it with InvalidServiceName, the answer AWS gives, and creates nothing', async () => {
    const error = await ec2
      .send(
        new CreateVpcEndpointCommand({
          VpcEndpointType: 'Interface',
          VpcId: VPC,
          ServiceName: PRIVATE,
          SubnetIds: SUBNETS,
        }),
      )
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({
      name: 'InvalidServiceName',
      message: `The Vpc Endpoint Service '${PRIVATE}' does not exist`,
    });
    expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
  });

  it('lets a role of the account stand for it', async () => {
    const endpointId = await endpointTo(FOR_OUR_ROLE);
    expect(await stateOf(endpointId)).toBe('pendingAcceptance');
  });
});

describe('services created at run time', () => {
  it('adds a vendor service that requires acceptance, seen with its owner, its zones and tags', async () => {
    const { serviceId, serviceName } = h.sim.addVendorService({
      owner: ATLAS_ACCOUNT,
      region: 'us-east-1',
      acceptanceRequired: true,
      tags: { atlas: 'yes' },
    });
    expect(serviceId).toMatch(/^vpce-svc-[0-9a-f]{17}$/);
    expect(serviceName).toBe(`com.amazonaws.vpce.us-east-1.${serviceId}`);
    const { ServiceDetails = [] } = await ec2.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }),
    );
    expect(ServiceDetails[0]).toMatchObject({
      ServiceId: serviceId,
      Owner: ATLAS_ACCOUNT,
      AcceptanceRequired: true,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      Tags: [{ Key: 'atlas', Value: 'yes' }],
    });
    const endpointId = await endpointTo(serviceName);
    h.advance(3600);
    expect(await stateOf(endpointId)).toBe('pendingAcceptance');
    expect(h.sim.vendorDecide(endpointId, 'accept', ATLAS_ACCOUNT)).toEqual({
      endpointId,
      serviceId,
      state: 'pending',
    });
  });

  it('keeps a service that allows only another account out of sight', async () => {
    const { serviceName } = h.sim.addVendorService({
      owner: ATLAS_ACCOUNT,
      region: 'us-east-1',
      acceptanceRequired: true,
      allowedPrincipals: ['arn:aws:iam::444455556666:root'],
    });
    expect(await ec2Code(ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] })))).toBe(
      'InvalidServiceName',
    );
  });

  it('rejects its connections when the vendor deletes it; the endpoint stays rejected, the name is gone', async () => {
    const { serviceId, serviceName } = h.sim.addVendorService({
      owner: ATLAS_ACCOUNT,
      region: 'us-east-1',
      acceptanceRequired: true,
    });
    const accepted = await endpointTo(serviceName);
    const waiting = await endpointTo(serviceName);
    h.sim.vendorDecide(accepted, 'accept');
    h.advance(200);
    h.sim.removeVendorService(serviceId);
    expect(await stateOf(accepted)).toBe('rejected');
    expect(await stateOf(waiting)).toBe('rejected');
    expect(h.sim.endpointView(waiting)).toMatchObject({ state: 'rejected', serviceId });
    expect(await ec2Code(ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] })))).toBe(
      'InvalidServiceName',
    );
    expect(await ec2Code(endpointTo(serviceName))).toBe('InvalidServiceName');
    expect(vendorError(() => h.sim.removeVendorService(serviceId)).message).toBe(
      `no vendor's service ${serviceId} exists`,
    );
    expect(vendorError(() => h.sim.removeVendorService('vpce-svc-05ef6f1f0b9130b54')).message).toMatch(
      /is a service of the seed/,
    );
  });

  it('refuses a service owned by the sandbox account itself, in zones of another region, or for a bad principal', () => {
    expect(() => h.sim.addVendorService({ owner: ACCOUNT, region: 'us-east-1', acceptanceRequired: true })).toThrow(
      /another account than the sandbox's/,
    );
    expect(() =>
      h.sim.addVendorService({
        owner: ATLAS_ACCOUNT,
        region: 'us-east-1',
        acceptanceRequired: true,
        availabilityZones: ['eu-west-1a'],
      }),
    ).toThrow(/needs zones of us-east-1/);
    expect(() =>
      h.sim.addVendorService({
        owner: ATLAS_ACCOUNT,
        region: 'us-east-1',
        acceptanceRequired: true,
        allowedPrincipals: ['444455556666'],
      }),
    ).toThrow(/invalid principal "444455556666"/);
  });

  it('keeps run-time services and the vendor decisions in the persisted state', async () => {
    const { serviceName } = h.sim.addVendorService({
      owner: ATLAS_ACCOUNT,
      region: 'us-east-1',
      acceptanceRequired: true,
    });
    const endpointId = await endpointTo(serviceName);
    h.sim.vendorDecide(endpointId, 'accept');
    const again = h.reload();
    const { ServiceDetails = [] } = await again
      .client()
      .send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }));
    expect(ServiceDetails).toHaveLength(1);
    expect(again.sim.endpointView(endpointId)?.state).toBe('pending');
  });
});

describe('what the vendor sees of an endpoint', () => {
  it('gives its state, service, VPC, owner, regional DNS name and addresses; nothing once it is gone', async () => {
    const endpointId = await endpointTo(PINECONE);
    const { VpcEndpoints = [] } = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    const view = h.sim.endpointView(endpointId);
    expect(view).toEqual({
      endpointId,
      state: 'pendingAcceptance',
      serviceId: 'vpce-svc-05ef6f1f0b9130b54',
      serviceName: PINECONE,
      vpcId: VPC,
      ownerAccount: ACCOUNT,
      dnsName: VpcEndpoints[0]?.DnsEntries?.[0]?.DnsName,
      privateIpAddresses: expect.any(Array),
    });
    expect(view?.dnsName).toMatch(
      new RegExp(`^${endpointId}-[a-z0-9]{8}\\.vpce-svc-05ef6f1f0b9130b54\\.us-east-1\\.vpce\\.amazonaws\\.com$`),
    );
    expect(view?.privateIpAddresses).toHaveLength(2);
    expect(view?.privateIpAddresses[0]).toMatch(/^10\.0\.1\.\d+$/);
    expect(view?.privateIpAddresses[1]).toMatch(/^10\.0\.2\.\d+$/);
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    expect(h.sim.endpointView(endpointId)?.state).toBe('deleting');
    h.advance(30);
    expect(h.sim.endpointView(endpointId)).toBeUndefined();
    expect(h.sim.endpointView('vpce-0000000000000000f')).toBeUndefined();
  });
});
