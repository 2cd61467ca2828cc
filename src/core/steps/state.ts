// The data the provisioning workflow carries from state to state (JSONPath ResultPaths in the ASL).
import type { ProvisionRequest } from '../domain/request.ts';
import type { Clock, Ec2Port, Route53Port } from '../ports.ts';

export interface StepPorts {
  ec2: Ec2Port;
  route53: Route53Port;
  clock: Clock;
}

/** What a step that only calls EC2 gets: its Lambda bundles neither the Route 53 client nor its adapter. */
export type Ec2StepPorts = Pick<StepPorts, 'ec2' | 'clock'>;
/** What a step that only calls Route 53 gets. */
export type Route53StepPorts = Pick<StepPorts, 'route53' | 'clock'>;

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
  /** the starter's attempt number for this request (1 when absent): scopes the idempotency tokens */
  attempt?: number;
  /** $.event: the Cluster Created event that started the execution (the rule's input transformer) */
  event?: { id?: unknown; source?: unknown; detailType?: unknown; time?: unknown };
  /** $.execution, recorded by the first state from $$.Execution (for logs) */
  execution?: { name: string; id?: string };
  service?: ServiceState;
  endpoint?: EndpointState;
  dns?: DnsState;
  /** Catch ResultPaths: $.failed.<StateName> = { Error, Cause } */
  failed?: Record<string, { Error?: string; Cause?: string }>;
  undo?: UndoState;
}

/** Which attempt's idempotency tokens the steps use: 1 unless the starter says otherwise. */
export function tokenAttempt(state: WorkflowState): number {
  return Number.isInteger(state.attempt) && (state.attempt ?? 0) > 0 ? (state.attempt as number) : 1;
}
