// What DNS needs to know about the endpoint: its ENI addresses and its regional DNS name.
import type { EndpointDnsFacts } from '../domain/dns-plan.ts';
import { AwsRequestError } from '../errors.ts';
import type { EndpointInfo } from '../ports.ts';
import type { StepPorts } from './state.ts';

export async function endpointFacts(
  endpointId: string,
  ports: Pick<StepPorts, 'ec2'>,
): Promise<{ info: EndpointInfo; facts: EndpointDnsFacts }> {
  const info = await ports.ec2.describeEndpoint(endpointId);
  if (!info)
    throw new AwsRequestError(
      'InvalidVpcEndpointId.NotFound',
      'DescribeVpcEndpoints',
      `endpoint ${endpointId} is gone`,
    );
  const regional = info.dnsEntries[0];
  if (!regional)
    throw new AwsRequestError('MissingDnsEntries', 'DescribeVpcEndpoints', `endpoint ${endpointId} has no DNS name`);
  const privateIps = await ports.ec2.privateIps(info.networkInterfaceIds);
  return { info, facts: { privateIps, dnsName: regional.dnsName, hostedZoneId: regional.hostedZoneId } };
}
