// Turns a step into a Lambda handler: validate the workflow state's request, build the ports, run.

import { requireProvisionRequest } from '../domain/request.ts';
import { RequestValidationError } from '../errors.ts';
import type { StepPorts, WorkflowState } from './state.ts';

/** A step and the ports it calls: `Ec2StepPorts`, `Route53StepPorts` or all of `StepPorts`. */
export type Step<T, P = StepPorts> = (state: WorkflowState, ports: P) => Promise<T>;

export function readWorkflowState(event: unknown, validate = true): WorkflowState {
  if (!event || typeof event !== 'object' || !('request' in event))
    throw new RequestValidationError([{ path: 'request', message: 'the workflow input has no request' }]);
  const state = event as WorkflowState;
  return validate ? { ...state, request: requireProvisionRequest(state.request) } : state;
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
