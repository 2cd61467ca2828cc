// The WorkflowPort over Step Functions (the HTTP and Slack Lambdas): executions named after the
// request id (`<id>` provisions, `<id>-teardown` tears down: src/core/aws/sfn.ts, which the Cluster
// Created starter shares), results read back with DescribeExecution.

import {
  type DescribeExecutionCommandOutput,
  ListExecutionsCommand,
  type ListExecutionsCommandOutput,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { enforceAllowlists } from '../core/app/allowlists.ts';
import { NothingWaitingError } from '../core/app/hand-off.ts';
import {
  NotReadInTimeError,
  type ResultPage,
  type UnreadableResult,
  unreadableResult,
  type WorkflowPort,
  WorkflowsBusyError,
} from '../core/app/workflow-port.ts';
import {
  describeNamedExecution,
  errorName,
  executionArn,
  provisionExecutionName,
  requestHash,
  startProvisionExecution,
  teardownExecutionName,
} from '../core/aws/sfn.ts';
import { type ProvisionRequest, parseProvisionRequest } from '../core/domain/request.ts';
import type { ProvisionResult } from '../core/domain/result.ts';
import { RequestBusyError, RequestConflictError, RequestValidationError } from '../core/errors.ts';
import type { ExecutionRecord } from '../core/runner/execution-store.ts';
import { resultOf } from '../core/runner/results.ts';
import { mapBounded } from './bounded.ts';
import type { TaskTokenStore, WaitingService } from './task-tokens.ts';

export interface SfnWorkflowsConfig {
  provisionStateMachineArn: string;
  teardownStateMachineArn: string;
  /** results read at once by listResults (default LIST_CONCURRENCY) */
  listConcurrency?: number;
  /** ms listResults spends reading results before listing the rest as not read (default LIST_BUDGET_MS) */
  listBudgetMs?: number;
  /** the wall clock, for the budget (tests) */
  now?: () => number;
  /**
   * Checks the other party's endpoint before finalize resumes the workflow (core/app's
   * verifyConsumerEndpoint over the Lambda's EC2 and Atlas adapters); throws ConsumerEndpointRefusedError.
   */
  verifyReport?: (request: ProvisionRequest, waitingFor: WaitingService, endpointId: string) => Promise<void>;
  /**
   * Before a request's first execution: refuses (NameCollisionError) a request whose DNS names are held
   * in its VPC already (core/app's refuseNamesHeldInAccount over the Lambda's Route 53 adapter).
   */
  beforeFirstStart?: (request: ProvisionRequest) => Promise<void>;
}

/** DescribeExecution's token bucket refills at 15 a second in most Regions; 8 readers stay near that. */
export const LIST_CONCURRENCY = 8;
/** The httpApi function has 10 s: results not started within 6 s are listed as unreadable, not waited for. */
export const LIST_BUDGET_MS = 6000;

export { executionArn, requestHash };

/** Step Functions errors a caller can act on, as the project's own; anything else stays internal (a 500). */
const BUSY = ['ThrottlingException', 'ExecutionLimitExceeded'];
const TASK_GONE = ['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'];

async function translated<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (BUSY.includes(errorName(error) ?? ''))
      throw new WorkflowsBusyError('the workflow service is busy; try again in a few seconds', { cause: error });
    throw error;
  }
}

/** A DescribeExecution answer as the local runner would have recorded it, so resultOf reads both alike. */
export function recordOf(
  workflow: 'provision' | 'teardown',
  requestId: string,
  out: DescribeExecutionCommandOutput,
): ExecutionRecord {
  const input = JSON.parse(out.input ?? '{}') as { request?: ProvisionRequest };
  const status = out.status === 'RUNNING' ? 'RUNNING' : out.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
  return {
    workflow,
    requestId,
    executionName: out.name ?? requestId,
    requestHash: input.request ? requestHash(input.request) : '',
    input,
    status,
    startedAt: out.startDate?.toISOString() ?? '',
    ...(out.stopDate && { stoppedAt: out.stopDate.toISOString() }),
    ...(status === 'SUCCEEDED' && { output: JSON.parse(out.output ?? '{}') }),
    ...(status === 'FAILED' && {
      error: out.error ?? `States.${out.status ?? 'Failed'}`,
      cause: out.cause ?? `the execution ended ${out.status ?? 'FAILED'}`,
    }),
  };
}

export function buildSfnWorkflows(sfn: SFNClient, tokens: TaskTokenStore, config: SfnWorkflowsConfig): WorkflowPort {
  const describe = (stateMachineArn: string, name: string) =>
    translated(describeNamedExecution(sfn, stateMachineArn, name));
  const getResult = async (requestId: string): Promise<ProvisionResult | undefined> => {
    const provision = await describe(config.provisionStateMachineArn, provisionExecutionName(requestId));
    if (!provision) return undefined;
    const teardown = await describe(config.teardownStateMachineArn, teardownExecutionName(requestId));
    const newer =
      teardown && (teardown.startDate?.getTime() ?? 0) >= (provision.startDate?.getTime() ?? 0)
        ? recordOf('teardown', requestId, teardown)
        : recordOf('provision', requestId, provision);
    const result = resultOf(newer);
    if (result.status === 'PROVISIONING' && (await tokens.get(requestId)) !== undefined)
      return { ...result, status: 'WAITING_FOR_CONSUMER', currentStep: 'WaitForConsumer' };
    return result;
  };
  return {
    async startProvision(request) {
      // Refused here with a 403 naming the field; the workflow's first step checks again.
      enforceAllowlists(request);
      const start = await translated(
        startProvisionExecution(sfn, config.provisionStateMachineArn, request, { request }, config.beforeFirstStart),
      );
      if (start.kind === 'started')
        return { started: true, result: { requestId: request.requestId, status: 'PROVISIONING' } };
      // Same name: a repeat (same body) or a conflict (another body). Either way no second execution.
      if (start.kind === 'conflict')
        throw new RequestConflictError(
          `request id ${request.requestId} already names a different request; choose another requestId`,
        );
      const record = recordOf('provision', request.requestId, start.existing);
      return { started: false, result: (await getResult(request.requestId)) ?? resultOf(record) };
    },
    getResult,
    async listResults({ limit, next }): Promise<ResultPage> {
      let out: ListExecutionsCommandOutput;
      try {
        out = await translated(
          sfn.send(
            new ListExecutionsCommand({
              stateMachineArn: config.provisionStateMachineArn,
              maxResults: limit,
              ...(next !== undefined && { nextToken: next }),
            }),
          ),
        );
      } catch (error) {
        if (errorName(error) === 'InvalidToken')
          throw new RequestValidationError([{ path: 'next', message: 'is not a page token' }]);
        throw error;
      }
      // Up to three calls per result (two DescribeExecution, one SSM read while running): in parallel,
      // a few at a time, so 100 fit the function's 10 s without tripping Step Functions' rate limits.
      const names = (out.executions ?? []).flatMap((e) => (e.name ? [e.name] : []));
      const now = config.now ?? Date.now;
      const deadline = now() + (config.listBudgetMs ?? LIST_BUDGET_MS);
      const settled = await mapBounded(names, config.listConcurrency ?? LIST_CONCURRENCY, async (name) => {
        if (now() >= deadline) throw new NotReadInTimeError(`${name} was not read within the page's time`);
        return getResult(name);
      });
      const items: ProvisionResult[] = [];
      const unreadable: UnreadableResult[] = [];
      settled.forEach((outcome, i) => {
        const name = names[i] ?? '';
        if (outcome.status === 'rejected') unreadable.push(unreadableResult(name, outcome.reason));
        else if (outcome.value) items.push(outcome.value);
      });
      return {
        items,
        ...(unreadable.length > 0 && { unreadable }),
        ...(out.nextToken && { next: out.nextToken }),
      };
    },
    async startTeardown(requestId) {
      const provision = await describe(config.provisionStateMachineArn, provisionExecutionName(requestId));
      if (!provision) return undefined;
      // As the local runner: never race a teardown against a provisioning that still runs (or waits).
      if (provision.status === 'RUNNING')
        throw new RequestBusyError(
          `request ${requestId} is still being provisioned; tear it down once that ends (or fails at its deadline)`,
        );
      try {
        await translated(
          sfn.send(
            new StartExecutionCommand({
              stateMachineArn: config.teardownStateMachineArn,
              name: teardownExecutionName(requestId),
              input: provision.input ?? '{}',
            }),
          ),
        );
      } catch (error) {
        if (errorName(error) !== 'ExecutionAlreadyExists') throw error;
      }
      return (await getResult(requestId)) ?? { requestId, status: 'DELETING' };
    },
    async finalize(requestId, endpointId, dnsName) {
      const waiting = await tokens.getWaiting(requestId);
      if (!waiting) throw new NothingWaitingError(`request ${requestId} is not waiting for the other party's endpoint`);
      const token = waiting.taskToken;
      if (config.verifyReport) {
        // Checked before the workflow hears of it: a refusal (ConsumerEndpointRefusedError) keeps it waiting.
        const provision = await describe(config.provisionStateMachineArn, requestId);
        const input = JSON.parse(provision?.input ?? '{}') as { request?: unknown };
        const parsed = parseProvisionRequest(input.request);
        if (!parsed.ok)
          throw new NothingWaitingError(
            `request ${requestId} has no readable provisioning to check the endpoint against`,
          );
        await config.verifyReport(parsed.request, waiting.waitingFor ?? {}, endpointId);
      }
      try {
        await translated(
          sfn.send(
            new SendTaskSuccessCommand({
              taskToken: token,
              output: JSON.stringify({ endpointId, ...(dnsName && { dnsName }) }),
            }),
          ),
        );
      } catch (error) {
        if (!TASK_GONE.includes(errorName(error) ?? '')) throw error; // transient: keep the token, finalize again
        await tokens.remove(requestId);
        throw new NothingWaitingError(`request ${requestId} is no longer waiting (${errorName(error)})`);
      }
      await tokens.remove(requestId);
    },
  };
}
