// EC2's request-rate limits, as AWS documents them ("Request throttling for the Amazon EC2 API",
// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html, formerly
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html): a token bucket per account and
// Region for each API action ("Limits are applied to individual API actions, not API action
// categories"), sized by the action's category, each request taking one token, refilled continuously
// up to the bucket's capacity; past it EC2 answers RequestLimitExceeded. The figures below are the
// page's table "Request token bucket sizes and refill rates". Surprising but documented: the VPC
// endpoint actions are "uncategorized" with far smaller buckets than mutating actions in general
// (CreateVpcEndpoint and DeleteVpcEndpoints: 4 tokens, 0.3 per second).

export interface TokenBucket {
  /** bucket maximum capacity, in requests */
  capacity: number;
  /** bucket refill rate, in requests per second */
  refillPerSecond: number;
}

export type Ec2Category =
  | 'non-mutating'
  | 'unfiltered non-mutating'
  | 'mutating'
  | 'resource-intensive'
  | 'uncategorized';

export const CATEGORY_BUCKETS: Record<Exclude<Ec2Category, 'uncategorized'>, TokenBucket> = {
  'non-mutating': { capacity: 100, refillPerSecond: 20 },
  'unfiltered non-mutating': { capacity: 50, refillPerSecond: 10 },
  mutating: { capacity: 50, refillPerSecond: 5 },
  'resource-intensive': { capacity: 50, refillPerSecond: 5 },
};

/** The page's uncategorized actions of VPC endpoints and tags (the sandbox answers most of them). */
export const UNCATEGORIZED_BUCKETS: Record<string, TokenBucket> = {
  AcceptVpcEndpointConnections: { capacity: 10, refillPerSecond: 1 },
  CreateTags: { capacity: 100, refillPerSecond: 10 },
  CreateVpcEndpoint: { capacity: 4, refillPerSecond: 0.3 },
  CreateVpcEndpointServiceConfiguration: { capacity: 10, refillPerSecond: 1 },
  DeleteTags: { capacity: 100, refillPerSecond: 10 },
  DeleteVpcEndpoints: { capacity: 4, refillPerSecond: 0.3 },
  DeleteVpcEndpointServiceConfigurations: { capacity: 10, refillPerSecond: 1 },
  ModifyVpcEndpoint: { capacity: 4, refillPerSecond: 0.3 },
  ModifyVpcEndpointServiceConfiguration: { capacity: 10, refillPerSecond: 1 },
  RejectVpcEndpointConnections: { capacity: 10, refillPerSecond: 1 },
};

const RESOURCE_INTENSIVE = new Set([
  'AcceptVpcPeeringConnection',
  'AuthorizeSecurityGroupIngress',
  'CancelSpotInstanceRequests',
  'CreateKeyPair',
  'CreateVpcPeeringConnection',
  'DeleteVpcPeeringConnection',
  'RejectVpcPeeringConnection',
  'RevokeSecurityGroupIngress',
  'RequestSpotInstances',
]);

/** Non-mutating actions that take from a smaller bucket when asked "without specifying either pagination or a filter". */
const UNFILTERED_SUBSET = new Set([
  'DescribeInstances',
  'DescribeInstanceStatus',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
  'DescribeSnapshots',
  'DescribeSpotInstanceRequests',
  'DescribeVolumes',
]);

const NON_MUTATING = /^(Describe|List|Search|Get)[A-Z]/;

export interface MeteredCall {
  category: Ec2Category;
  bucket: TokenBucket;
  /** the bucket's name within the account: region, action and (for the smaller bucket) `unfiltered` */
  key: string;
}

/**
 * Which bucket a call takes its token from: AWS's default for the action, or the limit AWS raised for
 * this account (`raised`, by action). A filter is the `Filters` parameter and pagination is
 * `MaxResults` or `NextToken`; ids alone (e.g. NetworkInterfaceIds) are neither, so such a call takes
 * from the smaller bucket (the page does not say otherwise; the stricter reading).
 */
export function meteredCall(
  operation: string,
  input: unknown,
  region: string,
  raised: Readonly<Record<string, TokenBucket>> = {},
): MeteredCall {
  const call = defaultMeteredCall(operation, input, region);
  // A raised limit is the action's own bucket; the smaller unfiltered one is a separate limit.
  const limit = Object.hasOwn(raised, operation) ? raised[operation] : undefined;
  return limit && call.category !== 'unfiltered non-mutating' ? { ...call, bucket: limit } : call;
}

function defaultMeteredCall(operation: string, input: unknown, region: string): MeteredCall {
  const uncategorized = Object.hasOwn(UNCATEGORIZED_BUCKETS, operation) ? UNCATEGORIZED_BUCKETS[operation] : undefined;
  if (uncategorized) return { category: 'uncategorized', bucket: uncategorized, key: `${region}/${operation}` };
  if (RESOURCE_INTENSIVE.has(operation))
    return {
      category: 'resource-intensive',
      bucket: CATEGORY_BUCKETS['resource-intensive'],
      key: `${region}/${operation}`,
    };
  if (!NON_MUTATING.test(operation))
    return { category: 'mutating', bucket: CATEGORY_BUCKETS.mutating, key: `${region}/${operation}` };
  if (UNFILTERED_SUBSET.has(operation) && !filteredOrPaginated(input))
    return {
      category: 'unfiltered non-mutating',
      bucket: CATEGORY_BUCKETS['unfiltered non-mutating'],
      key: `${region}/${operation}/unfiltered`,
    };
  return { category: 'non-mutating', bucket: CATEGORY_BUCKETS['non-mutating'], key: `${region}/${operation}` };
}

function filteredOrPaginated(input: unknown): boolean {
  const fields = (input ?? {}) as { Filters?: unknown[]; MaxResults?: unknown; NextToken?: unknown };
  return (
    (Array.isArray(fields.Filters) && fields.Filters.length > 0) ||
    fields.MaxResults !== undefined ||
    !!fields.NextToken
  );
}

/** The account's buckets by key, in millionths of a token so that a refill of 0.3 per second stays exact. */
export type Ec2RateState = Record<string, { microTokens: number; at: number }>;

const MICRO = 1_000_000;

/**
 * Takes one token from the call's bucket at simulated time `nowMs` (a bucket never used is full).
 * False when the bucket holds less than a token: the call is throttled, and takes nothing.
 */
export function takeEc2Token(state: Ec2RateState, call: MeteredCall, nowMs: number): boolean {
  const capacity = call.bucket.capacity * MICRO;
  const perMs = Math.round(call.bucket.refillPerSecond * 1000);
  const current = Object.hasOwn(state, call.key) ? state[call.key] : undefined;
  const elapsed = current ? Math.max(0, nowMs - current.at) : 0;
  const microTokens = current ? Math.min(capacity, current.microTokens + elapsed * perMs) : capacity;
  const at = Math.max(current?.at ?? nowMs, nowMs);
  if (microTokens < MICRO) {
    state[call.key] = { microTokens, at };
    return false;
  }
  state[call.key] = { microTokens: microTokens - MICRO, at };
  return true;
}
