// A bare Atlas Administration API client for the sandbox's Atlas tests: plain fetch-shaped calls, so the
// tests see exactly the statuses, headers and bodies the simulated organization answers.
import { CreateVpcEndpointCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { ec2Client } from '../../src/core/aws/clients.ts';

export const PROJECT = '6123456789abcdef01234567';
export const PE = 'application/vnd.atlas.2023-01-01+json';
export const VPC = 'vpc-0a1b2c3d4e5f67890';
export const SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'];
export const SERVICES = `/api/atlas/v2/groups/${PROJECT}/privateEndpoint/AWS/endpointService`;
export const CREATE_SERVICE = `/api/atlas/v2/groups/${PROJECT}/privateEndpoint/endpointService`;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface Answer {
  status: number;
  headers: Headers;
  /** parsed JSON, or undefined for an empty body */
  body: unknown;
}

export interface ServiceView {
  id: string;
  status: string;
  endpointServiceName: string | null;
  interfaceEndpoints: string[];
  regionName: string;
}

export interface EndpointView {
  interfaceEndpointId: string;
  connectionStatus: string;
  deleteRequested: boolean;
  errorMessage: string | null;
}

export interface ClusterView {
  name: string;
  stateName: string;
  connectionStrings: {
    standard: string;
    standardSrv: string;
    privateEndpoint?: {
      connectionString: string;
      srvConnectionString: string;
      srvShardOptimizedConnectionString?: string;
      type: string;
      endpoints: { endpointId: string; providerName: string; region: string }[];
    }[];
  };
}

export function atlasClient(
  fetchLike: FetchLike,
  base: string,
  account: { clientId: string; clientSecret: string } = {
    clientId: 'mdb_sa_id_0123456789abcdef01234567',
    clientSecret: 'mdb_sa_sk_sandbox-secret-not-for-production',
  },
) {
  async function send(path: string, init: RequestInit): Promise<Answer> {
    const response = await fetchLike(`${base}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  async function tokenAnswer(
    credentials = account,
    body = 'grant_type=client_credentials',
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<Answer> {
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    return send('/api/oauth/token', {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': contentType, Accept: 'application/json' },
      body,
    });
  }

  let cached: string | undefined;
  async function token(): Promise<string> {
    if (cached) return cached;
    const answer = await tokenAnswer();
    const value = (answer.body as { access_token?: string } | undefined)?.access_token;
    if (answer.status !== 200 || !value) throw new Error(`no token: ${answer.status} ${JSON.stringify(answer.body)}`);
    cached = value;
    return value;
  }

  async function api(
    method: string,
    path: string,
    options: { body?: unknown; accept?: string | null; contentType?: string; token?: string | null } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    const bearer = options.token === undefined ? await token() : options.token;
    if (bearer !== null) headers.Authorization = `Bearer ${bearer}`;
    const accept = options.accept === undefined ? PE : options.accept;
    if (accept !== null) headers.Accept = accept;
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? accept ?? PE;
    return send(path, {
      method,
      headers,
      ...(options.body !== undefined && {
        body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      }),
    });
  }

  return {
    tokenAnswer,
    token,
    api,
    createService: (region = 'US_EAST_1') => api('POST', CREATE_SERVICE, { body: { providerName: 'AWS', region } }),
    getService: (id: string) => api('GET', `${SERVICES}/${id}`),
    register: (serviceId: string, endpointId: string) =>
      api('POST', `${SERVICES}/${serviceId}/endpoint`, { body: { id: endpointId } }),
    getEndpoint: (serviceId: string, endpointId: string) =>
      api('GET', `${SERVICES}/${serviceId}/endpoint/${endpointId}`),
    deregister: (serviceId: string, endpointId: string) =>
      api('DELETE', `${SERVICES}/${serviceId}/endpoint/${endpointId}`),
    getCluster: (name = 'Cluster0', accept = 'application/vnd.atlas.2024-08-05+json') =>
      api('GET', `/api/atlas/v2/groups/${PROJECT}/clusters/${name}`, { accept }),
  };
}

/** Our interface endpoint to `serviceName` in the seed's main VPC, through the SDK client the sandbox answers. */
export async function createAwsEndpoint(serviceName: string): Promise<string> {
  const output = await ec2Client('us-east-1').send(
    new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface',
      VpcId: VPC,
      ServiceName: serviceName,
      SubnetIds: SUBNETS,
      SecurityGroupIds: ['sg-0fedcba9876543210'],
    }),
  );
  return output.VpcEndpoint?.VpcEndpointId ?? '';
}

export async function describeAwsEndpoint(endpointId: string) {
  const output = await ec2Client('us-east-1').send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
  const endpoint = output.VpcEndpoints?.[0];
  if (!endpoint) throw new Error(`no endpoint ${endpointId}`);
  return endpoint;
}
