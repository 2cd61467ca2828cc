// Ec2Port over the SDK v3 EC2 client: endpoint services, interface endpoints, ingress rules, tags.
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
  type EC2Client,
  type Filter,
  type IpPermission,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroupRule,
  type ServiceConfiguration,
  type Tag,
  type UnsuccessfulItem,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { AwsRequestError } from '../errors.ts';
import type { Ec2Port, EndpointInfo, EndpointServiceInfo, IngressRule, Tags } from '../ports.ts';
import { awsCall, codedError, isAwsCode } from './translate-error.ts';

const RULE_DESCRIPTION = 'privatelink-automation';

function toTagList(tags: Tags): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function toTagRecord(tags: Tag[] | undefined): Tags {
  const record: Tags = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) record[Key] = Value ?? '';
  return record;
}

function tagFilter(key: string, value: string): Filter[] {
  return [{ Name: `tag:${key}`, Values: [value] }];
}

/** EC2 answers endpoint states in camelCase (`pendingAcceptance`); the SDK's enum is capitalised. */
function endpointState(state: string | undefined): string {
  return state ? state.charAt(0).toLowerCase() + state.slice(1) : 'unknown';
}

function isGone(state: string): boolean {
  return state.toLowerCase() === 'deleted' || state.toLowerCase() === 'deleting';
}

function isNotFound(code: string | undefined): boolean {
  return code?.endsWith('NotFound') ?? false;
}

/** Follows NextToken until the last page. */
async function allPages<T>(page: (nextToken: string | undefined) => Promise<[T[], string | undefined]>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const [batch, next] = await page(token);
    items.push(...batch);
    token = next;
  } while (token);
  return items;
}

/** EC2's batch calls report per-item failures in `Unsuccessful` instead of throwing. */
function throwUnsuccessful(
  items: UnsuccessfulItem[] | undefined,
  operation: string,
  tolerate: (code?: string) => boolean,
) {
  for (const item of items ?? []) {
    const code = item.Error?.Code ?? 'UnknownError';
    if (tolerate(code)) continue;
    throw codedError(code, operation, `${item.ResourceId ?? ''}: ${item.Error?.Message ?? code}`.replace(/^: /, ''));
  }
}

function mapServiceConfiguration(config: ServiceConfiguration): EndpointServiceInfo {
  return {
    serviceId: config.ServiceId ?? '',
    serviceName: config.ServiceName ?? '',
    state: config.ServiceState ?? 'Pending',
    acceptanceRequired: config.AcceptanceRequired ?? false,
    availabilityZones: config.AvailabilityZones ?? [],
    tags: toTagRecord(config.Tags),
  };
}

function mapEndpoint(endpoint: VpcEndpoint): EndpointInfo {
  return {
    endpointId: endpoint.VpcEndpointId ?? '',
    vpcId: endpoint.VpcId ?? '',
    serviceName: endpoint.ServiceName ?? '',
    state: endpointState(endpoint.State),
    subnetIds: endpoint.SubnetIds ?? [],
    networkInterfaceIds: endpoint.NetworkInterfaceIds ?? [],
    dnsEntries: (endpoint.DnsEntries ?? []).map((entry) => ({
      dnsName: entry.DnsName ?? '',
      hostedZoneId: entry.HostedZoneId ?? '',
    })),
    tags: toTagRecord(endpoint.Tags),
    ...(endpoint.CreationTimestamp && { createdAt: new Date(endpoint.CreationTimestamp).toISOString() }),
  };
}

function mapRule(rule: SecurityGroupRule): IngressRule {
  return {
    ruleId: rule.SecurityGroupRuleId ?? '',
    groupId: rule.GroupId ?? '',
    fromPort: rule.FromPort ?? -1,
    toPort: rule.ToPort ?? -1,
    ...(rule.ReferencedGroupInfo?.GroupId && { sourceGroupId: rule.ReferencedGroupInfo.GroupId }),
    tags: toTagRecord(rule.Tags),
  };
}

function missing(operation: string, what: string): AwsRequestError {
  return new AwsRequestError('EmptyResponse', operation, `the response holds no ${what}`);
}

export function buildEc2Adapter(client: EC2Client): Ec2Port {
  async function authorize(groupId: string, permissions: IpPermission[], tags: Tags): Promise<SecurityGroupRule[]> {
    const output = await awsCall('AuthorizeSecurityGroupIngress', () =>
      client.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: permissions,
          TagSpecifications: [{ ResourceType: 'security-group-rule', Tags: toTagList(tags) }],
        }),
      ),
    );
    return (output.SecurityGroupRules ?? []).filter((rule) => !rule.IsEgress);
  }

  async function revoke(groupId: string, ruleIds: string[]): Promise<void> {
    await awsCall('RevokeSecurityGroupIngress', () =>
      client.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ruleIds })),
    );
  }

  return {
    async findEndpointServicesByTag(key, value) {
      const configs = await allPages(async (NextToken) => {
        const output = await awsCall('DescribeVpcEndpointServiceConfigurations', () =>
          client.send(
            new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: tagFilter(key, value), NextToken }),
          ),
        );
        return [output.ServiceConfigurations ?? [], output.NextToken];
      });
      return configs.map(mapServiceConfiguration).filter((service) => !isGone(service.state));
    },

    async createEndpointService({ clientToken, networkLoadBalancerArns, acceptanceRequired, tags }) {
      const output = await awsCall('CreateVpcEndpointServiceConfiguration', () =>
        client.send(
          new CreateVpcEndpointServiceConfigurationCommand({
            NetworkLoadBalancerArns: networkLoadBalancerArns,
            AcceptanceRequired: acceptanceRequired,
            ClientToken: clientToken,
            TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: toTagList(tags) }],
          }),
        ),
      );
      if (!output.ServiceConfiguration?.ServiceId) {
        throw missing('CreateVpcEndpointServiceConfiguration', 'ServiceConfiguration');
      }
      const service = mapServiceConfiguration(output.ServiceConfiguration);
      // Older API versions leave Tags out of the answer although the service was tagged.
      return output.ServiceConfiguration.Tags ? service : { ...service, tags: { ...tags } };
    },

    async allowPrincipals(serviceId, principals) {
      if (principals.length === 0) return;
      await awsCall('ModifyVpcEndpointServicePermissions', () =>
        client.send(
          new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: principals }),
        ),
      );
    },

    async describeServiceByName(serviceName) {
      const output = await awsCall('DescribeVpcEndpointServices', () =>
        client.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] })),
      );
      const details = output.ServiceDetails ?? [];
      const detail = details.find((d) => d.ServiceName === serviceName) ?? details[0];
      if (!detail) {
        throw new AwsRequestError(
          'InvalidServiceName',
          'DescribeVpcEndpointServices',
          `The Vpc Endpoint Service '${serviceName}' does not exist`,
        );
      }
      return {
        serviceId: detail.ServiceId ?? '',
        serviceName: detail.ServiceName ?? serviceName,
        // DescribeVpcEndpointServices lists only services that endpoints can connect to.
        state: 'Available',
        acceptanceRequired: detail.AcceptanceRequired ?? false,
        ...(detail.Owner && { owner: detail.Owner }),
        availabilityZones: detail.AvailabilityZones ?? [],
        tags: toTagRecord(detail.Tags),
      };
    },

    async listServiceConnections(serviceId) {
      const connections = await allPages(async (NextToken) => {
        const output = await awsCall('DescribeVpcEndpointConnections', () =>
          client.send(
            new DescribeVpcEndpointConnectionsCommand({
              Filters: [{ Name: 'service-id', Values: [serviceId] }],
              NextToken,
            }),
          ),
        );
        return [output.VpcEndpointConnections ?? [], output.NextToken];
      });
      return connections.map((connection) => ({
        endpointId: connection.VpcEndpointId ?? '',
        state: endpointState(connection.VpcEndpointState),
        ...(connection.VpcEndpointOwner && { endpointOwner: connection.VpcEndpointOwner }),
      }));
    },

    async acceptConnections(serviceId, endpointIds) {
      if (endpointIds.length === 0) return;
      const output = await awsCall('AcceptVpcEndpointConnections', () =>
        client.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: endpointIds })),
      );
      throwUnsuccessful(output.Unsuccessful, 'AcceptVpcEndpointConnections', () => false);
    },

    async rejectConnections(serviceId, endpointIds) {
      if (endpointIds.length === 0) return;
      const output = await awsCall('RejectVpcEndpointConnections', () =>
        client.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: endpointIds })),
      );
      throwUnsuccessful(output.Unsuccessful, 'RejectVpcEndpointConnections', isNotFound);
    },

    async deleteEndpointService(serviceId) {
      try {
        const output = await awsCall('DeleteVpcEndpointServiceConfigurations', () =>
          client.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] })),
        );
        throwUnsuccessful(output.Unsuccessful, 'DeleteVpcEndpointServiceConfigurations', isNotFound);
      } catch (error) {
        if (!(error instanceof AwsRequestError && isNotFound(error.code))) throw error;
      }
    },

    async findEndpointsByTag(key, value) {
      const endpoints = await allPages(async (NextToken) => {
        const output = await awsCall('DescribeVpcEndpoints', () =>
          client.send(new DescribeVpcEndpointsCommand({ Filters: tagFilter(key, value), NextToken })),
        );
        return [output.VpcEndpoints ?? [], output.NextToken];
      });
      return endpoints.map(mapEndpoint).filter((endpoint) => endpoint.state.toLowerCase() !== 'deleted');
    },

    async createInterfaceEndpoint({ clientToken, vpcId, serviceName, subnetIds, securityGroupIds, tags }) {
      const output = await awsCall('CreateVpcEndpoint', () =>
        client.send(
          new CreateVpcEndpointCommand({
            VpcEndpointType: 'Interface',
            VpcId: vpcId,
            ServiceName: serviceName,
            SubnetIds: subnetIds,
            SecurityGroupIds: securityGroupIds,
            PrivateDnsEnabled: false,
            ClientToken: clientToken,
            TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: toTagList(tags) }],
          }),
        ),
      );
      if (!output.VpcEndpoint?.VpcEndpointId) throw missing('CreateVpcEndpoint', 'VpcEndpoint');
      return mapEndpoint(output.VpcEndpoint);
    },

    async describeEndpoint(endpointId) {
      try {
        const output = await awsCall('DescribeVpcEndpoints', () =>
          client.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })),
        );
        const endpoint = output.VpcEndpoints?.find((e) => e.VpcEndpointId === endpointId);
        if (!endpoint) return undefined;
        const info = mapEndpoint(endpoint);
        return info.state.toLowerCase() === 'deleted' ? undefined : info;
      } catch (error) {
        if (isAwsCode(error, 'InvalidVpcEndpointId.NotFound')) return undefined;
        throw error;
      }
    },

    async deleteEndpoint(endpointId) {
      try {
        const output = await awsCall('DeleteVpcEndpoints', () =>
          client.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })),
        );
        throwUnsuccessful(output.Unsuccessful, 'DeleteVpcEndpoints', isNotFound);
      } catch (error) {
        if (!(error instanceof AwsRequestError && isNotFound(error.code))) throw error;
      }
    },

    async privateIps(networkInterfaceIds) {
      if (networkInterfaceIds.length === 0) return [];
      const output = await awsCall('DescribeNetworkInterfaces', () =>
        client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: networkInterfaceIds })),
      );
      const byId = new Map(
        (output.NetworkInterfaces ?? []).map((eni) => [eni.NetworkInterfaceId, eni.PrivateIpAddress]),
      );
      return networkInterfaceIds.map((id) => {
        const ip = byId.get(id);
        if (!ip) {
          throw new AwsRequestError(
            'InvalidNetworkInterfaceID.NotFound',
            'DescribeNetworkInterfaces',
            `no private IP for ${id}`,
          );
        }
        return ip;
      });
    },

    async findIngressRulesByTag(key, value) {
      const rules = await allPages(async (NextToken) => {
        const output = await awsCall('DescribeSecurityGroupRules', () =>
          client.send(new DescribeSecurityGroupRulesCommand({ Filters: tagFilter(key, value), NextToken })),
        );
        return [output.SecurityGroupRules ?? [], output.NextToken];
      });
      return rules.filter((rule) => !rule.IsEgress).map(mapRule);
    },

    async authorizeIngress({ groupId, sourceGroupIds, portRanges, tags }) {
      const permissions: IpPermission[] = sourceGroupIds.flatMap((source) =>
        portRanges.map(({ fromPort, toPort }) => ({
          IpProtocol: 'tcp',
          FromPort: fromPort,
          ToPort: toPort,
          UserIdGroupPairs: [{ GroupId: source, Description: RULE_DESCRIPTION }],
        })),
      );
      if (permissions.length === 0) return [];
      try {
        return (await authorize(groupId, permissions, tags)).map(mapRule);
      } catch (error) {
        if (!isAwsCode(error, 'InvalidPermission.Duplicate')) throw error;
      }
      // One existing permission fails the whole call: add them one by one, skipping those already there.
      const created: SecurityGroupRule[] = [];
      for (const permission of permissions) {
        try {
          created.push(...(await authorize(groupId, [permission], tags)));
        } catch (error) {
          if (!isAwsCode(error, 'InvalidPermission.Duplicate')) throw error;
        }
      }
      return created.map(mapRule);
    },

    async revokeIngress(groupId, ruleIds) {
      if (ruleIds.length === 0) return;
      try {
        await revoke(groupId, ruleIds);
        return;
      } catch (error) {
        if (!isAwsCode(error, 'InvalidSecurityGroupRuleId.NotFound')) throw error;
      }
      // One unknown id fails the whole call: revoke the rest one by one.
      for (const ruleId of ruleIds) {
        try {
          await revoke(groupId, [ruleId]);
        } catch (error) {
          if (!isAwsCode(error, 'InvalidSecurityGroupRuleId.NotFound')) throw error;
        }
      }
    },

    async tagResources(resourceIds, tags) {
      if (resourceIds.length === 0 || Object.keys(tags).length === 0) return;
      await awsCall('CreateTags', () =>
        client.send(new CreateTagsCommand({ Resources: resourceIds, Tags: toTagList(tags) })),
      );
    },
  };
}
