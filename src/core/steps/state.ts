// The data the provisioning workflow carries from state to state (JSONPath ResultPaths in the ASL).
import type { ProvisionRequest } from '../domain/request.ts';
import type { Clock, Ec2Port, Route53Port } from '../ports.ts';

export interface StepPorts {
  ec2: Ec2Port;
  route53: Route53Port;
  clock: Clock;
}

/** $.service */
export interface ServiceState {
  serviceId: string;
  serviceName: string;
  /** this request created it (now or in an earlier run) */
  created: boolean;
  /** we own it, so we accept connections to it */
  owned: boolean;
  acceptanceRequired: boolean;
}

/** $.endpoint */
export interface EndpointState {
  endpointId: string;
  created: boolean;
  state: string;
  /** epoch ms */
  deadlineAt: number;
  polls: number;
  waitSeconds: number;
  /** pendingAcceptance on a service we own: the next state accepts it */
  needsAcceptance: boolean;
}

/** $.dns */
export interface DnsState {
  zones: { hostedZoneId: string; name: string; created: boolean }[];
  changeIds: string[];
  insync: boolean;
  deadlineAt: number;
  polls: number;
  waitSeconds: number;
}

/** $.undo */
export interface UndoState {
  done: boolean;
  waitSeconds: number;
  undone: string[];
  kept: string[];
  error: { code: string; step: string; message: string };
  /** the FAILED result as JSON: the Fail state's Cause */
  resultJson: string;
}

export interface WorkflowState {
  request: ProvisionRequest;
  /** $.execution, recorded by the first state from $$.Execution.Name: scopes the idempotency tokens */
  execution?: { name: string; id?: string };
  service?: ServiceState;
  endpoint?: EndpointState;
  dns?: DnsState;
  /** Catch ResultPaths: $.failed.<StateName> = { Error, Cause } */
  failed?: Record<string, { Error?: string; Cause?: string }>;
  undo?: UndoState;
}

/** The execution's name, or the request id for a state recorded before executions were named. */
export function executionName(state: WorkflowState): string {
  return state.execution?.name ?? state.request.requestId;
}
