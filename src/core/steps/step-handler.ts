// Turns a step into a Lambda handler: validate the workflow state's request, build the ports, run.

import { parseProvisionRequest, REQUEST_ID_RULE } from '../domain/request.ts';
import { type FieldIssue, RequestValidationError } from '../errors.ts';
import type { StepPorts, WorkflowState } from './state.ts';

/** A step and the ports it calls: `Ec2StepPorts`, `Route53StepPorts` or all of `StepPorts`. */
export type Step<T, P = StepPorts> = (state: WorkflowState, ports: P) => Promise<T>;

/**
 * A request started by a Cluster Created event takes the event's id when its detail has no requestId
 * (the DefaultRequestId state): an invalid id is then the event's, and the message says so.
 */
function blameEventId(state: WorkflowState, issues: FieldIssue[]): FieldIssue[] {
  const eventId = state.event?.id;
  const requestId = (state.request as { requestId?: unknown } | undefined)?.requestId;
  if (eventId === undefined || requestId !== eventId) return issues;
  const shown = JSON.stringify(String(eventId).slice(0, 70));
  return issues.map((issue) =>
    issue.path === 'requestId'
      ? {
          path: 'requestId',
          message: `the event id ${shown} is not a valid request id (it ${REQUEST_ID_RULE}); give the event's detail a requestId`,
        }
      : issue,
  );
}

export function readWorkflowState(event: unknown, validate = true): WorkflowState {
  if (!event || typeof event !== 'object' || !('request' in event))
    throw new RequestValidationError([{ path: 'request', message: 'the workflow input has no request' }]);
  const state = event as WorkflowState;
  if (!validate) return state;
  const parsed = parseProvisionRequest(state.request);
  if (!parsed.ok) throw new RequestValidationError(blameEventId(state, parsed.issues));
  return { ...state, request: parsed.request };
}

/** `validate: false` for compensation, which must run even when the request itself was the problem. */
export function stepHandler<T, P>(
  step: Step<T, P>,
  portsFor: (region: string) => P,
  options: { validate?: boolean } = {},
): (event: unknown) => Promise<T> {
  return async (event) => {
    const state = readWorkflowState(event, options.validate ?? true);
    return step(state, portsFor(typeof state.request?.region === 'string' ? state.request.region : 'us-east-1'));
  };
}
