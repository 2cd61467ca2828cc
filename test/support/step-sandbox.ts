// The account the step tests run on: one VPC with two subnets and a security group, a vendor's service
// that accepts at once, and the real EC2 and Route 53 adapters over the sandbox's SDK clients.
import { CreateTagsCommand, CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { ec2Client, route53Client } from '../../src/core/aws/clients.ts';
import { buildEc2Adapter } from '../../src/core/aws/ec2.ts';
import { buildRoute53Adapter } from '../../src/core/aws/route53.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../../src/core/domain/request.ts';
import type { Sandbox, SandboxSeedInput } from '../../src/core/sandbox/index.ts';
import { type EndpointProgress, endpointDnsFields } from '../../src/core/steps/create-interface-endpoint.ts';
import type { StepPorts } from '../../src/core/steps/state.ts';

export const STEP_VPC = 'vpc-0a1b2c3d4e5f67890';
export const STEP_SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'];
export const STEP_SECURITY_GROUP = 'sg-0fedcba9876543210';
export const STEP_SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

export function stepSeed(extra: Pick<SandboxSeedInput, 'vpcs' | 'timing'> = {}): SandboxSeedInput {
  return {
    accountId: '111122223333',
    vpcs: [
      {
        vpcId: STEP_VPC,
        region: 'us-east-1',
        cidr: '10.0.0.0/16',
        subnets: [
          { subnetId: STEP_SUBNETS[0] ?? '', cidr: '10.0.1.0/24', availabilityZone: 'us-east-1a' },
          { subnetId: STEP_SUBNETS[1] ?? '', cidr: '10.0.2.0/24', availabilityZone: 'us-east-1b' },
        ],
        securityGroupIds: [STEP_SECURITY_GROUP],
      },
      ...(extra.vpcs ?? []),
    ],
    endpointServices: [{ serviceName: STEP_SERVICE, acceptanceRequired: false }],
    ...(extra.timing && { timing: extra.timing }),
  };
}

/** The steps' ports over an attached sandbox. */
export function stepPorts(sandbox: Sandbox): StepPorts {
  return {
    ec2: buildEc2Adapter(ec2Client('us-east-1')),
    route53: buildRoute53Adapter(route53Client()),
    clock: sandbox.clock,
  };
}

/**
 * An endpoint to the seed's service, as CreateInterfaceEndpoint leaves it (tagged with `tags`, its DNS
 * fields kept from CreateVpcEndpoint's answer), marked available.
 */
export async function availableEndpoint(
  ports: StepPorts,
  tags: Record<string, string> = {},
): Promise<EndpointProgress> {
  const ec2 = ec2Client('us-east-1');
  const output = await ec2.send(
    new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface',
      VpcId: STEP_VPC,
      ServiceName: STEP_SERVICE,
      SubnetIds: STEP_SUBNETS,
      SecurityGroupIds: [STEP_SECURITY_GROUP],
    }),
  );
  const endpointId = output.VpcEndpoint?.VpcEndpointId ?? '';
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  if (Tags.length > 0) await ec2.send(new CreateTagsCommand({ Resources: [endpointId], Tags }));
  const info = await ports.ec2.describeEndpoint(endpointId);
  if (!info) throw new Error(`${endpointId} was not created`);
  return {
    endpointId,
    created: true,
    state: 'available',
    deadlineAt: 0,
    polls: 0,
    waitSeconds: 0,
    needsAcceptance: false,
    ready: true,
    ...endpointDnsFields(info),
  };
}

/** A TCP request whose A record goes into the zone internal.example.com (often someone else's) of the VPC. */
export function ordersInInternalZone(): ProvisionRequest {
  return requireProvisionRequest({
    requestId: 'orders',
    region: 'us-east-1',
    service: { serviceName: STEP_SERVICE },
    consumer: { vpcId: STEP_VPC, subnetIds: STEP_SUBNETS, securityGroupIds: [STEP_SECURITY_GROUP] },
    target: { kind: 'tcp', host: 'orders.internal.example.com', port: 5432 },
    dns: { records: 'A', zoneName: 'internal.example.com' },
  });
}
