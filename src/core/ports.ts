// What the steps need from AWS, as plain function types. Adapters in src/core/aws/ implement them
// over the SDK v3 clients and translate AWS errors into src/core/errors.ts; steps never import the SDK.

export type Tags = Record<string, string>;

export interface EndpointServiceInfo {
  serviceId: string;
  serviceName: string;
  /** Available | Pending | Deleting | Deleted | Failed (EC2's ServiceState) */
  state: string;
  acceptanceRequired: boolean;
  /** account id of the service owner */
  owner?: string;
  availabilityZones: string[];
  tags: Tags;
}

export interface EndpointInfo {
  endpointId: string;
  vpcId: string;
  serviceName: string;
  /** pendingAcceptance | pending | available | deleting | deleted | rejected | failed | expired */
  state: string;
  subnetIds: string[];
  networkInterfaceIds: string[];
  /** the regional DNS name first, as DescribeVpcEndpoints lists it */
  dnsEntries: { dnsName: string; hostedZoneId: string }[];
  tags: Tags;
  createdAt?: string;
}

export interface IngressRule {
  ruleId: string;
  groupId: string;
  fromPort: number;
  toPort: number;
  sourceGroupId?: string;
  tags: Tags;
}

export interface ServiceConnection {
  endpointId: string;
  /** pendingAcceptance | pending | available | rejected | … */
  state: string;
  endpointOwner?: string;
}

export interface Ec2Port {
  /** DescribeVpcEndpointServiceConfigurations filtered by tag. */
  findEndpointServicesByTag(key: string, value: string): Promise<EndpointServiceInfo[]>;
  /** CreateVpcEndpointServiceConfiguration with ClientToken and tags. */
  createEndpointService(args: {
    clientToken: string;
    networkLoadBalancerArns: string[];
    acceptanceRequired: boolean;
    tags: Tags;
  }): Promise<EndpointServiceInfo>;
  /** ModifyVpcEndpointServicePermissions AddAllowedPrincipals. */
  allowPrincipals(serviceId: string, principals: string[]): Promise<void>;
  /** DescribeVpcEndpointServices by name; AwsRequestError InvalidServiceName when unknown. */
  describeServiceByName(serviceName: string): Promise<EndpointServiceInfo>;
  /** DescribeVpcEndpointConnections for one service. */
  listServiceConnections(serviceId: string): Promise<ServiceConnection[]>;
  acceptConnections(serviceId: string, endpointIds: string[]): Promise<void>;
  rejectConnections(serviceId: string, endpointIds: string[]): Promise<void>;
  /** DeleteVpcEndpointServiceConfigurations; an already-deleted service is not an error. */
  deleteEndpointService(serviceId: string): Promise<void>;

  /** DescribeVpcEndpoints filtered by tag; endpoints in state deleted are left out. */
  findEndpointsByTag(key: string, value: string): Promise<EndpointInfo[]>;
  /** CreateVpcEndpoint (Interface, private DNS off) with ClientToken and tags. */
  createInterfaceEndpoint(args: {
    clientToken: string;
    vpcId: string;
    serviceName: string;
    subnetIds: string[];
    securityGroupIds: string[];
    tags: Tags;
  }): Promise<EndpointInfo>;
  /** DescribeVpcEndpoints by id; undefined when it no longer exists. */
  describeEndpoint(endpointId: string): Promise<EndpointInfo | undefined>;
  /** DeleteVpcEndpoints; an already-deleted endpoint is not an error. */
  deleteEndpoint(endpointId: string): Promise<void>;
  /** DescribeNetworkInterfaces: the primary private IPv4 of each, in the order given. */
  privateIps(networkInterfaceIds: string[]): Promise<string[]>;

  /** DescribeSecurityGroupRules filtered by tag. */
  findIngressRulesByTag(key: string, value: string): Promise<IngressRule[]>;
  /** AuthorizeSecurityGroupIngress (TCP) tagged; a duplicate rule is skipped, not an error. Returns the rules created. */
  authorizeIngress(args: {
    groupId: string;
    sourceGroupIds: string[];
    portRanges: { fromPort: number; toPort: number }[];
    tags: Tags;
  }): Promise<IngressRule[]>;
  /** RevokeSecurityGroupIngress by rule id; rules already gone are not an error. */
  revokeIngress(groupId: string, ruleIds: string[]): Promise<void>;

  /** CreateTags on any EC2 resource ids. */
  tagResources(resourceIds: string[], tags: Tags): Promise<void>;
}

export interface HostedZoneInfo {
  /** without the /hostedzone/ prefix */
  hostedZoneId: string;
  /** without the trailing dot */
  name: string;
  privateZone: boolean;
  callerReference?: string;
}

export interface ZoneDetail extends HostedZoneInfo {
  vpcs: { vpcId: string; region: string }[];
}

export interface RecordSet {
  /** without the trailing dot */
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  aliasTarget?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
}

export interface RecordChange {
  action: 'UPSERT' | 'DELETE' | 'CREATE';
  record: RecordSet;
}

export interface Route53Port {
  /** ListHostedZonesByName: zones named exactly `name` (private and public). */
  findZonesByName(name: string): Promise<HostedZoneInfo[]>;
  /** GetHostedZone: the zone with its caller reference and VPCs; undefined when it does not exist. */
  getZone(hostedZoneId: string): Promise<ZoneDetail | undefined>;
  /** CreateHostedZone (private, associated with the VPC). HostedZoneAlreadyExists is an AwsRequestError. */
  createPrivateZone(args: {
    name: string;
    callerReference: string;
    vpcId: string;
    region: string;
    comment: string;
  }): Promise<{ hostedZoneId: string; changeId: string }>;
  /** AssociateVPCWithHostedZone; an existing association is not an error. Returns the change id, if any. */
  associateVpc(hostedZoneId: string, vpcId: string, region: string): Promise<string | undefined>;
  /** ChangeTagsForResource (hostedzone). */
  tagZone(hostedZoneId: string, tags: Tags): Promise<void>;
  /** ListHostedZones + ListTagsForResources: private zones carrying tag key=value. */
  findZonesByTag(key: string, value: string): Promise<HostedZoneInfo[]>;
  /** ListResourceRecordSets, all pages. */
  listRecords(hostedZoneId: string): Promise<RecordSet[]>;
  /** ChangeResourceRecordSets as one batch; returns the change id. */
  changeRecords(hostedZoneId: string, changes: RecordChange[], comment: string): Promise<string>;
  /** GetChange: PENDING or INSYNC. */
  changeStatus(changeId: string): Promise<'PENDING' | 'INSYNC'>;
  /** DeleteHostedZone; a zone already gone is not an error. */
  deleteZone(hostedZoneId: string): Promise<void>;
}

/** The time the steps see: wall time in AWS, the simulated clock on the sandbox. */
export interface Clock {
  now(): number;
}

// MongoDB Atlas Administration API v2 (private endpoints and clusters), as the steps need it.
// The adapter (src/core/atlas/) speaks HTTP to ATLAS_BASE_URL; on the sandbox the same adapter's
// requests are answered by the simulated Atlas organization (src/core/sandbox/atlas.ts).

/** EndpointService.status */
export type AtlasServiceStatus = 'INITIATING' | 'WAITING_FOR_USER' | 'AVAILABLE' | 'FAILED' | 'DELETING';
/** AWSInterfaceEndpoint.connectionStatus */
export type AtlasConnectionStatus = 'PENDING_ACCEPTANCE' | 'PENDING' | 'AVAILABLE' | 'REJECTED' | 'DELETING';

/** Atlas's endpoint service for one project and region (EndpointService / AWSPrivateLinkConnection). */
export interface AtlasEndpointService {
  /** 24 hex */
  id: string;
  /** Atlas-style, e.g. US_EAST_1 */
  regionName: string;
  status: AtlasServiceStatus;
  /** null in Atlas while it creates the service; absent here then */
  endpointServiceName?: string;
  /** the vpce ids registered with it */
  interfaceEndpoints: string[];
  errorMessage?: string;
}

/** One interface endpoint registered with an Atlas endpoint service (AWSInterfaceEndpoint). */
export interface AtlasInterfaceEndpoint {
  interfaceEndpointId: string;
  connectionStatus: AtlasConnectionStatus;
  deleteRequested: boolean;
  errorMessage?: string;
}

/** connectionStrings.privateEndpoint[n] of a cluster. */
export interface AtlasPrivateEndpointStrings {
  connectionString?: string;
  srvConnectionString?: string;
  srvShardOptimizedConnectionString?: string;
  type: 'MONGOD' | 'MONGOS';
  endpoints: { endpointId: string; providerName: string; region: string }[];
}

export interface AtlasCluster {
  name: string;
  /** IDLE | CREATING | UPDATING | DELETING | REPAIRING */
  stateName: string;
  /** REPLICASET | SHARDED | GEOSHARDED */
  clusterType?: string;
  /** connectionStrings.privateEndpoint, [] when Atlas returns none */
  privateEndpoint: AtlasPrivateEndpointStrings[];
}

export interface AtlasPort {
  /** GET /api/atlas/v2/groups/{groupId}/privateEndpoint/AWS/endpointService (a bare array) */
  listEndpointServices(projectId: string): Promise<AtlasEndpointService[]>;
  /**
   * POST …/privateEndpoint/endpointService {"providerName":"AWS","region":"US_EAST_1"}; `region` is the
   * AWS name (us-east-1). A second one in a region: AtlasApiError PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION.
   */
  createEndpointService(projectId: string, region: string): Promise<AtlasEndpointService>;
  /** GET …/privateEndpoint/AWS/endpointService/{id}; undefined on 404 */
  getEndpointService(projectId: string, serviceId: string): Promise<AtlasEndpointService | undefined>;
  /** DELETE …/privateEndpoint/AWS/endpointService/{id}; a 404 is success */
  deleteEndpointService(projectId: string, serviceId: string): Promise<void>;
  /** POST …/privateEndpoint/AWS/endpointService/{id}/endpoint {"id":"vpce-…"} */
  createEndpoint(projectId: string, serviceId: string, endpointId: string): Promise<AtlasInterfaceEndpoint>;
  /** GET …/endpointService/{id}/endpoint/{vpce}; undefined on 404 */
  getEndpoint(projectId: string, serviceId: string, endpointId: string): Promise<AtlasInterfaceEndpoint | undefined>;
  /** DELETE …/endpointService/{id}/endpoint/{vpce}; a 404 is success */
  deleteEndpoint(projectId: string, serviceId: string, endpointId: string): Promise<void>;
  /** GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName} (version 2024-08-05) */
  getCluster(projectId: string, clusterName: string): Promise<AtlasCluster>;
}

/** The ports a step gets, in Lambda and on the sandbox alike. */
export interface StepPorts {
  ec2: Ec2Port;
  route53: Route53Port;
  clock: Clock;
}

/** Steps that also speak to Atlas (service.atlas): the EC2 ports plus the Atlas adapter. */
export type AtlasStepPorts = Pick<StepPorts, 'ec2' | 'clock'> & { atlas: AtlasPort };
/** Compensation: everything, Atlas included. */
export type AllStepPorts = StepPorts & { atlas: AtlasPort };
/** What a step that only calls EC2 gets: its Lambda bundles neither the Route 53 client nor its adapter. */
export type Ec2StepPorts = Pick<StepPorts, 'ec2' | 'clock'>;
/** What a step that only calls Route 53 gets. */
export type Route53StepPorts = Pick<StepPorts, 'route53' | 'clock'>;
