// Step Functions executions named after the request id, shared by every starter in AWS (the HTTP and
// Slack Lambdas through src/http/sfn-workflows.ts, the Cluster Created starter): `<id>` provisions,
// `<id>-teardown` tears down. Step Functions refuses a second execution of one name (for 90 days after
// the first closes), so repeats of one request dedupe in Step Functions itself, and GET, DELETE and
// Slack find an execution by the request id alone.
import { createHash } from 'node:crypto';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { canonicalJson, type ProvisionRequest } from '../domain/request.ts';

export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The provisioning execution of a request: its id, exactly (request ids are valid execution names). */
export function provisionExecutionName(requestId: string): string {
  return requestId;
}

export function teardownExecutionName(requestId: string): string {
  return `${requestId}-teardown`;
}

/** The same hash the local use case records (app/provision.ts requestHash), without importing the runner. */
export function requestHash(request: ProvisionRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

export const errorName = (error: unknown): string | undefined => (error as { name?: string } | undefined)?.name;

/**
 * DescribeExecution of `name`, or undefined when no such execution exists. Other errors are the SDK's
 * (the callers translate throttling their own way: a 503 at the HTTP edge, a retried invocation here).
 */
export async function describeNamedExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn, name) }));
  } catch (error) {
    if (errorName(error) === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}

/** The request an execution was started with (its input's `request`), if any. */
export function requestOfExecution(out: Pick<DescribeExecutionCommandOutput, 'input'>): ProvisionRequest | undefined {
  try {
    return (JSON.parse(out.input ?? '{}') as { request?: ProvisionRequest }).request;
  } catch {
    return undefined;
  }
}

export type ProvisionStart =
  | { kind: 'started'; executionArn: string }
  /** the execution of that name exists for the same request: nothing new was started */
  | { kind: 'repeat'; existing: DescribeExecutionCommandOutput }
  /** the name is taken by another request (or by an execution no longer readable) */
  | { kind: 'conflict'; existing?: DescribeExecutionCommandOutput };

/**
 * Starts the provisioning of `request` under its request id, with `input` (default `{ request }`).
 * `ExecutionAlreadyExists` is answered by reading the existing execution: the same request (by its
 * hash) is a repeat, another one a conflict. Neither starts a second execution.
 */
export async function startProvisionExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  request: ProvisionRequest,
  input: { request: ProvisionRequest } & Record<string, unknown> = { request },
  /** runs before a first execution only (none of that name exists yet); it may refuse by throwing */
  beforeFirstStart?: (request: ProvisionRequest) => Promise<void>,
): Promise<ProvisionStart> {
  const name = provisionExecutionName(request.requestId);
  if (beforeFirstStart && !(await describeNamedExecution(sfn, stateMachineArn, name))) await beforeFirstStart(request);
  try {
    const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return { kind: 'started', executionArn: out.executionArn ?? executionArn(stateMachineArn, name) };
  } catch (error) {
    if (errorName(error) !== 'ExecutionAlreadyExists') throw error;
  }
  const existing = await describeNamedExecution(sfn, stateMachineArn, name);
  const stored = existing && requestOfExecution(existing);
  if (existing && stored && requestHash(stored) === requestHash(request)) return { kind: 'repeat', existing };
  return { kind: 'conflict', ...(existing && { existing }) };
}
