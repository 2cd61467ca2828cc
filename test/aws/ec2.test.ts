import {
  AcceptVpcEndpointConnectionsCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DeleteVpcEndpointsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  RevokeSecurityGroupIngressCommand,
  type State,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildEc2Adapter } from '../../src/core/aws/ec2.ts';
import { AwsRequestError, TransientAwsError } from '../../src/core/errors.ts';
import { ec2Error, rejection, sentInputs } from './setup.ts';

const ec2Mock = mockClient(EC2Client);
const adapter = buildEc2Adapter(new EC2Client({ region: 'us-east-1' }));

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const SERVICE_NAME = `com.amazonaws.vpce.us-east-1.${SERVICE_ID}`;
const ENDPOINT_ID = 'vpce-0a1b2c3d4e5f67890';
const VPC_ID = 'vpc-0a1b2c3d4e5f67890';
const SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'];
const ENDPOINT_SG = 'sg-0fedcba9876543210';
const APP_SG = 'sg-0123456789abcdef0';
const TAG_FILTER = [{ Name: 'tag:privatelink:request-id', Values: ['cluster0-app-prod'] }];
const TAGS = { 'privatelink:request-id': 'cluster0-app-prod', team: 'payments' };
const TAG_LIST = [
  { Key: 'privatelink:request-id', Value: 'cluster0-app-prod' },
  { Key: 'team', Value: 'payments' },
];

/** EC2 answers endpoint states in camelCase, which the SDK's capitalised enum type does not list. */
const state = (value: string) => value as State;

function endpoint(id: string, endpointState: string, extra: Partial<VpcEndpoint> = {}): VpcEndpoint {
  return { VpcEndpointId: id, VpcId: VPC_ID, ServiceName: SERVICE_NAME, State: state(endpointState), ...extra };
}

const inputs = <T extends object>(command: abstract new (...args: never[]) => { input: T }) =>
  sentInputs(ec2Mock, command);

beforeEach(() => {
  ec2Mock.reset();
});

describe('findEndpointServicesByTag', () => {
  it('filters by tag, reads every page, maps the services and leaves out those deleted or deleting', async () => {
    // Prepare
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolvesOnce({
        ServiceConfigurations: [
          {
            ServiceId: SERVICE_ID,
            ServiceName: SERVICE_NAME,
            ServiceState: 'Available',
            AcceptanceRequired: true,
            AvailabilityZones: ['us-east-1a', 'us-east-1b'],
            Tags: TAG_LIST,
          },
          { ServiceId: 'vpce-svc-1', ServiceName: 'svc-1', ServiceState: 'Deleted' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        ServiceConfigurations: [
          { ServiceId: 'vpce-svc-2', ServiceName: 'svc-2', ServiceState: 'Deleting' },
          { ServiceId: 'vpce-svc-3', ServiceName: 'svc-3', ServiceState: 'Pending', AcceptanceRequired: false },
        ],
      });

    // Act
    const services = await adapter.findEndpointServicesByTag('privatelink:request-id', 'cluster0-app-prod');

    // Assess
    expect(inputs(DescribeVpcEndpointServiceConfigurationsCommand)).toEqual([
      { Filters: TAG_FILTER },
      { Filters: TAG_FILTER, NextToken: 'page-2' },
    ]);
    expect(services).toEqual([
      {
        serviceId: SERVICE_ID,
        serviceName: SERVICE_NAME,
        state: 'Available',
        acceptanceRequired: true,
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        tags: TAGS,
      },
      {
        serviceId: 'vpce-svc-3',
        serviceName: 'svc-3',
        state: 'Pending',
        acceptanceRequired: false,
        availabilityZones: [],
        tags: {},
      },
    ]);
  });

  it('turns throttling into a TransientAwsError naming the operation', async () => {
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).rejects(ec2Error('RequestLimitExceeded'));

    const error = await rejection(adapter.findEndpointServicesByTag('k', 'v'));

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error).toMatchObject({
      code: 'RequestLimitExceeded',
      operation: 'DescribeVpcEndpointServiceConfigurations',
    });
  });
});

describe('createEndpointService', () => {
  const args = {
    clientToken: 'cluster0-app-prod-service',
    networkLoadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/0123'],
    acceptanceRequired: true,
    tags: TAGS,
  };

  it('sends the load balancers, acceptance, client token and tags, and maps the new service', async () => {
    ec2Mock.on(CreateVpcEndpointServiceConfigurationCommand).resolves({
      ServiceConfiguration: {
        ServiceId: SERVICE_ID,
        ServiceName: SERVICE_NAME,
        ServiceState: 'Available',
        AcceptanceRequired: true,
        AvailabilityZones: ['us-east-1a'],
        Tags: TAG_LIST,
      },
    });

    const service = await adapter.createEndpointService(args);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(CreateVpcEndpointServiceConfigurationCommand, {
      NetworkLoadBalancerArns: args.networkLoadBalancerArns,
      AcceptanceRequired: true,
      ClientToken: 'cluster0-app-prod-service',
      TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: TAG_LIST }],
    });
    expect(service).toEqual({
      serviceId: SERVICE_ID,
      serviceName: SERVICE_NAME,
      state: 'Available',
      acceptanceRequired: true,
      availabilityZones: ['us-east-1a'],
      tags: TAGS,
    });
  });

  it('reports the tags it asked for when the answer leaves them out', async () => {
    ec2Mock.on(CreateVpcEndpointServiceConfigurationCommand).resolves({
      ServiceConfiguration: { ServiceId: SERVICE_ID, ServiceName: SERVICE_NAME, ServiceState: 'Pending' },
    });

    const service = await adapter.createEndpointService(args);

    expect(service.tags).toEqual(TAGS);
  });

  it('turns a terminal code into an AwsRequestError', async () => {
    ec2Mock.on(CreateVpcEndpointServiceConfigurationCommand).rejects(ec2Error('InvalidParameter'));

    const error = await rejection(adapter.createEndpointService(args));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'InvalidParameter', operation: 'CreateVpcEndpointServiceConfiguration' });
  });
});

describe('allowPrincipals', () => {
  it('adds the principals to the service permissions', async () => {
    ec2Mock.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });

    await adapter.allowPrincipals(SERVICE_ID, ['arn:aws:iam::444455556666:root']);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(ModifyVpcEndpointServicePermissionsCommand, {
      ServiceId: SERVICE_ID,
      AddAllowedPrincipals: ['arn:aws:iam::444455556666:root'],
    });
  });

  it('makes no call when there is nobody to allow', async () => {
    await adapter.allowPrincipals(SERVICE_ID, []);

    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });
});

describe('describeServiceByName', () => {
  it('asks for the name and maps the service, with its owner', async () => {
    ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({
      ServiceDetails: [
        {
          ServiceId: SERVICE_ID,
          ServiceName: SERVICE_NAME,
          AcceptanceRequired: false,
          AvailabilityZones: ['us-east-1a', 'us-east-1c'],
          Owner: '444455556666',
        },
      ],
    });

    const service = await adapter.describeServiceByName(SERVICE_NAME);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(DescribeVpcEndpointServicesCommand, {
      ServiceNames: [SERVICE_NAME],
    });
    expect(service).toEqual({
      serviceId: SERVICE_ID,
      serviceName: SERVICE_NAME,
      state: 'Available',
      acceptanceRequired: false,
      owner: '444455556666',
      availabilityZones: ['us-east-1a', 'us-east-1c'],
      tags: {},
    });
  });

  it('answers InvalidServiceName when nothing comes back', async () => {
    ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [] });

    const error = await rejection(adapter.describeServiceByName(SERVICE_NAME));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'InvalidServiceName', operation: 'DescribeVpcEndpointServices' });
  });

  it('translates InvalidServiceName thrown by EC2', async () => {
    ec2Mock.on(DescribeVpcEndpointServicesCommand).rejects(ec2Error('InvalidServiceName'));

    const error = await rejection(adapter.describeServiceByName(SERVICE_NAME));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'InvalidServiceName' });
  });
});

describe('listServiceConnections', () => {
  it('filters by service id, reads every page and maps the connections', async () => {
    ec2Mock
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({
        VpcEndpointConnections: [
          {
            VpcEndpointId: ENDPOINT_ID,
            VpcEndpointState: state('pendingAcceptance'),
            VpcEndpointOwner: '444455556666',
          },
        ],
        NextToken: 'next',
      })
      .resolvesOnce({ VpcEndpointConnections: [{ VpcEndpointId: 'vpce-2', VpcEndpointState: state('available') }] });

    const connections = await adapter.listServiceConnections(SERVICE_ID);

    expect(inputs(DescribeVpcEndpointConnectionsCommand)).toEqual([
      { Filters: [{ Name: 'service-id', Values: [SERVICE_ID] }] },
      { Filters: [{ Name: 'service-id', Values: [SERVICE_ID] }], NextToken: 'next' },
    ]);
    expect(connections).toEqual([
      { endpointId: ENDPOINT_ID, state: 'pendingAcceptance', endpointOwner: '444455556666' },
      { endpointId: 'vpce-2', state: 'available' },
    ]);
  });
});

describe('acceptConnections', () => {
  it('accepts the endpoints on the service', async () => {
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [] });

    await adapter.acceptConnections(SERVICE_ID, [ENDPOINT_ID]);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(AcceptVpcEndpointConnectionsCommand, {
      ServiceId: SERVICE_ID,
      VpcEndpointIds: [ENDPOINT_ID],
    });
  });

  it('throws the code of an unsuccessful item as an AwsRequestError', async () => {
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [
        { ResourceId: ENDPOINT_ID, Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: 'does not exist' } },
      ],
    });

    const error = await rejection(adapter.acceptConnections(SERVICE_ID, [ENDPOINT_ID]));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'InvalidVpcEndpointId.NotFound', operation: 'AcceptVpcEndpointConnections' });
  });

  it('throws a transient code of an unsuccessful item as a TransientAwsError', async () => {
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: ENDPOINT_ID, Error: { Code: 'InternalError', Message: 'try again' } }],
    });

    const error = await rejection(adapter.acceptConnections(SERVICE_ID, [ENDPOINT_ID]));

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error).toMatchObject({ code: 'InternalError', operation: 'AcceptVpcEndpointConnections' });
  });
});

describe('rejectConnections', () => {
  it('rejects the endpoints on the service', async () => {
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({});

    await adapter.rejectConnections(SERVICE_ID, [ENDPOINT_ID, 'vpce-2']);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(RejectVpcEndpointConnectionsCommand, {
      ServiceId: SERVICE_ID,
      VpcEndpointIds: [ENDPOINT_ID, 'vpce-2'],
    });
  });

  it('takes an endpoint already gone as done', async () => {
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: ENDPOINT_ID, Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: 'gone' } }],
    });

    await expect(adapter.rejectConnections(SERVICE_ID, [ENDPOINT_ID])).resolves.toBeUndefined();
  });

  it('throws any other unsuccessful code', async () => {
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: ENDPOINT_ID, Error: { Code: 'InvalidVpcEndpointState', Message: 'no' } }],
    });

    const error = await rejection(adapter.rejectConnections(SERVICE_ID, [ENDPOINT_ID]));

    expect(error).toMatchObject({ name: 'AwsRequestError', code: 'InvalidVpcEndpointState' });
  });
});

describe('deleteEndpointService', () => {
  it('deletes the service configuration', async () => {
    ec2Mock.on(DeleteVpcEndpointServiceConfigurationsCommand).resolves({ Unsuccessful: [] });

    await adapter.deleteEndpointService(SERVICE_ID);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(DeleteVpcEndpointServiceConfigurationsCommand, {
      ServiceIds: [SERVICE_ID],
    });
  });

  it('takes a service already gone as done, reported or thrown', async () => {
    ec2Mock
      .on(DeleteVpcEndpointServiceConfigurationsCommand)
      .resolvesOnce({
        Unsuccessful: [{ ResourceId: SERVICE_ID, Error: { Code: 'InvalidVpcEndpointService.NotFound', Message: 'x' } }],
      })
      .rejectsOnce(ec2Error('InvalidVpcEndpointServiceId.NotFound'));

    await expect(adapter.deleteEndpointService(SERVICE_ID)).resolves.toBeUndefined();
    await expect(adapter.deleteEndpointService(SERVICE_ID)).resolves.toBeUndefined();
  });

  it('throws ExistingVpcEndpointConnections as an AwsRequestError', async () => {
    ec2Mock.on(DeleteVpcEndpointServiceConfigurationsCommand).resolves({
      Unsuccessful: [
        { ResourceId: SERVICE_ID, Error: { Code: 'ExistingVpcEndpointConnections', Message: 'still connected' } },
      ],
    });

    const error = await rejection(adapter.deleteEndpointService(SERVICE_ID));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({
      code: 'ExistingVpcEndpointConnections',
      operation: 'DeleteVpcEndpointServiceConfigurations',
    });
  });
});

describe('findEndpointsByTag', () => {
  it('filters by tag, reads every page, maps the endpoints and leaves out the deleted ones', async () => {
    ec2Mock
      .on(DescribeVpcEndpointsCommand)
      .resolvesOnce({
        VpcEndpoints: [
          endpoint(ENDPOINT_ID, 'available', {
            SubnetIds: SUBNETS,
            NetworkInterfaceIds: ['eni-0a', 'eni-0b'],
            DnsEntries: [
              { DnsName: 'vpce-0a-x.vpce-svc-0.us-east-1.vpce.amazonaws.com', HostedZoneId: 'Z7HUB22UULQXV' },
              {
                DnsName: 'vpce-0a-x-us-east-1a.vpce-svc-0.us-east-1.vpce.amazonaws.com',
                HostedZoneId: 'Z7HUB22UULQXV',
              },
            ],
            Tags: TAG_LIST,
            CreationTimestamp: new Date('2025-01-02T03:04:05.000Z'),
          }),
          endpoint('vpce-gone', 'deleted'),
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({ VpcEndpoints: [endpoint('vpce-old', 'Deleted'), endpoint('vpce-rej', 'rejected')] });

    const endpoints = await adapter.findEndpointsByTag('privatelink:request-id', 'cluster0-app-prod');

    expect(inputs(DescribeVpcEndpointsCommand)).toEqual([
      { Filters: TAG_FILTER },
      { Filters: TAG_FILTER, NextToken: 'p2' },
    ]);
    expect(endpoints).toEqual([
      {
        endpointId: ENDPOINT_ID,
        vpcId: VPC_ID,
        serviceName: SERVICE_NAME,
        state: 'available',
        subnetIds: SUBNETS,
        networkInterfaceIds: ['eni-0a', 'eni-0b'],
        dnsEntries: [
          { dnsName: 'vpce-0a-x.vpce-svc-0.us-east-1.vpce.amazonaws.com', hostedZoneId: 'Z7HUB22UULQXV' },
          { dnsName: 'vpce-0a-x-us-east-1a.vpce-svc-0.us-east-1.vpce.amazonaws.com', hostedZoneId: 'Z7HUB22UULQXV' },
        ],
        tags: TAGS,
        createdAt: '2025-01-02T03:04:05.000Z',
      },
      {
        endpointId: 'vpce-rej',
        vpcId: VPC_ID,
        serviceName: SERVICE_NAME,
        state: 'rejected',
        subnetIds: [],
        networkInterfaceIds: [],
        dnsEntries: [],
        tags: {},
      },
    ]);
  });
});

describe('createInterfaceEndpoint', () => {
  const args = {
    clientToken: 'cluster0-app-prod-endpoint',
    vpcId: VPC_ID,
    serviceName: SERVICE_NAME,
    subnetIds: SUBNETS,
    securityGroupIds: [ENDPOINT_SG],
    tags: TAGS,
  };

  it('creates an interface endpoint with private DNS off, the client token and the tags', async () => {
    ec2Mock.on(CreateVpcEndpointCommand).resolves({
      VpcEndpoint: endpoint(ENDPOINT_ID, 'pendingAcceptance', { SubnetIds: SUBNETS, Tags: TAG_LIST }),
    });

    const created = await adapter.createInterfaceEndpoint(args);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(CreateVpcEndpointCommand, {
      VpcEndpointType: 'Interface',
      VpcId: VPC_ID,
      ServiceName: SERVICE_NAME,
      SubnetIds: SUBNETS,
      SecurityGroupIds: [ENDPOINT_SG],
      PrivateDnsEnabled: false,
      ClientToken: 'cluster0-app-prod-endpoint',
      TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: TAG_LIST }],
    });
    expect(created).toMatchObject({
      endpointId: ENDPOINT_ID,
      state: 'pendingAcceptance',
      subnetIds: SUBNETS,
      tags: TAGS,
    });
  });

  it('turns InvalidSubnetID.NotFound into an AwsRequestError whose message starts with the code', async () => {
    ec2Mock.on(CreateVpcEndpointCommand).rejects(ec2Error('InvalidSubnetID.NotFound'));

    const error = await rejection(adapter.createInterfaceEndpoint(args));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({
      code: 'InvalidSubnetID.NotFound',
      operation: 'CreateVpcEndpoint',
      message: 'InvalidSubnetID.NotFound: InvalidSubnetID.NotFound from EC2 (CreateVpcEndpoint)',
    });
  });
});

describe('describeEndpoint', () => {
  it('asks for the one endpoint and maps it', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [endpoint(ENDPOINT_ID, 'available')] });

    const found = await adapter.describeEndpoint(ENDPOINT_ID);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(DescribeVpcEndpointsCommand, {
      VpcEndpointIds: [ENDPOINT_ID],
    });
    expect(found).toMatchObject({ endpointId: ENDPOINT_ID, state: 'available', vpcId: VPC_ID });
  });

  it('answers undefined when EC2 no longer knows the endpoint', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).rejects(ec2Error('InvalidVpcEndpointId.NotFound'));

    await expect(adapter.describeEndpoint(ENDPOINT_ID)).resolves.toBeUndefined();
  });

  it('answers undefined for an endpoint in state deleted', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [endpoint(ENDPOINT_ID, 'deleted')] });

    await expect(adapter.describeEndpoint(ENDPOINT_ID)).resolves.toBeUndefined();
  });

  it('lowers a capitalised state to the form EC2 uses on the wire', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [endpoint(ENDPOINT_ID, 'PendingAcceptance')] });

    await expect(adapter.describeEndpoint(ENDPOINT_ID)).resolves.toMatchObject({ state: 'pendingAcceptance' });
  });

  it('lets throttling through as a TransientAwsError', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).rejects(ec2Error('RequestLimitExceeded', { status: 503 }));

    const error = await rejection(adapter.describeEndpoint(ENDPOINT_ID));

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error).toMatchObject({ code: 'RequestLimitExceeded', operation: 'DescribeVpcEndpoints' });
  });
});

describe('deleteEndpoint', () => {
  it('deletes the endpoint', async () => {
    ec2Mock.on(DeleteVpcEndpointsCommand).resolves({ Unsuccessful: [] });

    await adapter.deleteEndpoint(ENDPOINT_ID);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(DeleteVpcEndpointsCommand, { VpcEndpointIds: [ENDPOINT_ID] });
  });

  it('takes an endpoint already gone as done', async () => {
    ec2Mock.on(DeleteVpcEndpointsCommand).resolves({
      Unsuccessful: [{ ResourceId: ENDPOINT_ID, Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: 'gone' } }],
    });

    await expect(adapter.deleteEndpoint(ENDPOINT_ID)).resolves.toBeUndefined();
  });

  it('throws any other unsuccessful code', async () => {
    ec2Mock.on(DeleteVpcEndpointsCommand).resolves({
      Unsuccessful: [{ ResourceId: ENDPOINT_ID, Error: { Code: 'InvalidVpcEndpointId.Malformed', Message: 'bad' } }],
    });

    const error = await rejection(adapter.deleteEndpoint(ENDPOINT_ID));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'InvalidVpcEndpointId.Malformed', operation: 'DeleteVpcEndpoints' });
  });
});

describe('privateIps', () => {
  it('answers the primary private IP of each interface in the order asked', async () => {
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        { NetworkInterfaceId: 'eni-0b', PrivateIpAddress: '10.0.2.20' },
        { NetworkInterfaceId: 'eni-0a', PrivateIpAddress: '10.0.1.15' },
      ],
    });

    const ips = await adapter.privateIps(['eni-0a', 'eni-0b']);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(DescribeNetworkInterfacesCommand, {
      NetworkInterfaceIds: ['eni-0a', 'eni-0b'],
    });
    expect(ips).toEqual(['10.0.1.15', '10.0.2.20']);
  });

  it('makes no call for no interfaces', async () => {
    await expect(adapter.privateIps([])).resolves.toEqual([]);
    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });

  it('fails when an interface is missing from the answer', async () => {
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });

    const error = await rejection(adapter.privateIps(['eni-0a']));

    expect(error).toMatchObject({ name: 'AwsRequestError', code: 'InvalidNetworkInterfaceID.NotFound' });
  });
});

describe('findIngressRulesByTag', () => {
  it('filters by tag, reads every page and keeps ingress rules only', async () => {
    ec2Mock
      .on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: 'sgr-1',
            GroupId: ENDPOINT_SG,
            IsEgress: false,
            FromPort: 1024,
            ToPort: 1026,
            ReferencedGroupInfo: { GroupId: APP_SG },
            Tags: TAG_LIST,
          },
          { SecurityGroupRuleId: 'sgr-egress', GroupId: ENDPOINT_SG, IsEgress: true, FromPort: -1, ToPort: -1 },
        ],
        NextToken: 'n',
      })
      .resolvesOnce({
        SecurityGroupRules: [
          { SecurityGroupRuleId: 'sgr-2', GroupId: ENDPOINT_SG, IsEgress: false, FromPort: 443, ToPort: 443 },
        ],
      });

    const rules = await adapter.findIngressRulesByTag('privatelink:request-id', 'cluster0-app-prod');

    expect(inputs(DescribeSecurityGroupRulesCommand)).toEqual([
      { Filters: TAG_FILTER },
      { Filters: TAG_FILTER, NextToken: 'n' },
    ]);
    expect(rules).toEqual([
      { ruleId: 'sgr-1', groupId: ENDPOINT_SG, fromPort: 1024, toPort: 1026, sourceGroupId: APP_SG, tags: TAGS },
      { ruleId: 'sgr-2', groupId: ENDPOINT_SG, fromPort: 443, toPort: 443, tags: {} },
    ]);
  });
});

describe('authorizeIngress', () => {
  const OTHER_SG = 'sg-1123456789abcdef0';
  const args = {
    groupId: ENDPOINT_SG,
    sourceGroupIds: [APP_SG, OTHER_SG],
    portRanges: [
      { fromPort: 1024, toPort: 1026 },
      { fromPort: 443, toPort: 443 },
    ],
    tags: TAGS,
  };
  const permission = (source: string, fromPort: number, toPort: number) => ({
    IpProtocol: 'tcp',
    FromPort: fromPort,
    ToPort: toPort,
    UserIdGroupPairs: [{ GroupId: source, Description: 'privatelink-automation' }],
  });
  const ALL = [
    permission(APP_SG, 1024, 1026),
    permission(APP_SG, 443, 443),
    permission(OTHER_SG, 1024, 1026),
    permission(OTHER_SG, 443, 443),
  ];
  const TAG_SPEC = [{ ResourceType: 'security-group-rule' as const, Tags: TAG_LIST }];
  const rule = (id: string, source: string, from: number, to: number) => ({
    SecurityGroupRuleId: id,
    GroupId: ENDPOINT_SG,
    IsEgress: false,
    FromPort: from,
    ToPort: to,
    ReferencedGroupInfo: { GroupId: source },
    Tags: TAG_LIST,
  });

  it('adds one TCP permission per source group and port range in one tagged call and returns the rules', async () => {
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({
      Return: true,
      SecurityGroupRules: [rule('sgr-1', APP_SG, 1024, 1026), rule('sgr-2', APP_SG, 443, 443)],
    });

    const created = await adapter.authorizeIngress(args);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(AuthorizeSecurityGroupIngressCommand, {
      GroupId: ENDPOINT_SG,
      IpPermissions: ALL,
      TagSpecifications: TAG_SPEC,
    });
    expect(created).toEqual([
      { ruleId: 'sgr-1', groupId: ENDPOINT_SG, fromPort: 1024, toPort: 1026, sourceGroupId: APP_SG, tags: TAGS },
      { ruleId: 'sgr-2', groupId: ENDPOINT_SG, fromPort: 443, toPort: 443, sourceGroupId: APP_SG, tags: TAGS },
    ]);
  });

  it('on a duplicate retries permission by permission, skipping those that exist', async () => {
    ec2Mock
      .on(AuthorizeSecurityGroupIngressCommand)
      .rejectsOnce(ec2Error('InvalidPermission.Duplicate'))
      .resolvesOnce({ SecurityGroupRules: [rule('sgr-1', APP_SG, 1024, 1026)] })
      .rejectsOnce(ec2Error('InvalidPermission.Duplicate'))
      .resolvesOnce({ SecurityGroupRules: [rule('sgr-3', OTHER_SG, 1024, 1026)] })
      .resolvesOnce({ SecurityGroupRules: [rule('sgr-4', OTHER_SG, 443, 443)] });

    const created = await adapter.authorizeIngress(args);

    expect(inputs(AuthorizeSecurityGroupIngressCommand)).toEqual([
      { GroupId: ENDPOINT_SG, IpPermissions: ALL, TagSpecifications: TAG_SPEC },
      ...ALL.map((p) => ({ GroupId: ENDPOINT_SG, IpPermissions: [p], TagSpecifications: TAG_SPEC })),
    ]);
    expect(created.map((r) => r.ruleId)).toEqual(['sgr-1', 'sgr-3', 'sgr-4']);
  });

  it('throws other errors of the retries', async () => {
    ec2Mock
      .on(AuthorizeSecurityGroupIngressCommand)
      .rejectsOnce(ec2Error('InvalidPermission.Duplicate'))
      .rejectsOnce(ec2Error('RulesPerSecurityGroupLimitExceeded'));

    const error = await rejection(adapter.authorizeIngress(args));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({
      code: 'RulesPerSecurityGroupLimitExceeded',
      operation: 'AuthorizeSecurityGroupIngress',
    });
  });

  it('makes no call without sources or port ranges', async () => {
    await expect(adapter.authorizeIngress({ ...args, sourceGroupIds: [] })).resolves.toEqual([]);
    await expect(adapter.authorizeIngress({ ...args, portRanges: [] })).resolves.toEqual([]);
    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });
});

describe('revokeIngress', () => {
  it('revokes the rules by id in one call', async () => {
    ec2Mock.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });

    await adapter.revokeIngress(ENDPOINT_SG, ['sgr-1', 'sgr-2']);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(RevokeSecurityGroupIngressCommand, {
      GroupId: ENDPOINT_SG,
      SecurityGroupRuleIds: ['sgr-1', 'sgr-2'],
    });
  });

  it('when a rule is already gone, revokes the others one by one', async () => {
    ec2Mock
      .on(RevokeSecurityGroupIngressCommand)
      .rejectsOnce(ec2Error('InvalidSecurityGroupRuleId.NotFound'))
      .rejectsOnce(ec2Error('InvalidSecurityGroupRuleId.NotFound'))
      .resolvesOnce({ Return: true });

    await adapter.revokeIngress(ENDPOINT_SG, ['sgr-gone', 'sgr-2']);

    expect(inputs(RevokeSecurityGroupIngressCommand)).toEqual([
      { GroupId: ENDPOINT_SG, SecurityGroupRuleIds: ['sgr-gone', 'sgr-2'] },
      { GroupId: ENDPOINT_SG, SecurityGroupRuleIds: ['sgr-gone'] },
      { GroupId: ENDPOINT_SG, SecurityGroupRuleIds: ['sgr-2'] },
    ]);
  });

  it('throws other errors', async () => {
    ec2Mock.on(RevokeSecurityGroupIngressCommand).rejects(ec2Error('InvalidGroup.NotFound'));

    const error = await rejection(adapter.revokeIngress(ENDPOINT_SG, ['sgr-1']));

    expect(error).toMatchObject({ name: 'AwsRequestError', code: 'InvalidGroup.NotFound' });
  });

  it('makes no call for no rules', async () => {
    await adapter.revokeIngress(ENDPOINT_SG, []);

    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });
});

describe('tagResources', () => {
  it('tags every resource with every tag in one call', async () => {
    ec2Mock.on(CreateTagsCommand).resolves({});

    await adapter.tagResources([ENDPOINT_ID, 'sgr-1'], TAGS);

    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(CreateTagsCommand, {
      Resources: [ENDPOINT_ID, 'sgr-1'],
      Tags: TAG_LIST,
    });
  });

  it('turns throttling into a TransientAwsError', async () => {
    ec2Mock.on(CreateTagsCommand).rejects(ec2Error('RequestLimitExceeded', { status: 503 }));

    const error = await rejection(adapter.tagResources([ENDPOINT_ID], TAGS));

    expect(error).toMatchObject({ name: 'TransientAwsError', code: 'RequestLimitExceeded', operation: 'CreateTags' });
  });
});
