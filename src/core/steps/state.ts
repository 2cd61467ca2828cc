// The data the provisioning workflow carries from state to state (JSONPath ResultPaths in the ASL).
import type { ProvisionRequest } from '../domain/request.ts';
import type { Action } from '../domain/result.ts';
import type { AtlasServiceStatus } from '../ports.ts';

export type { AllStepPorts, AtlasStepPorts, Ec2StepPorts, Route53StepPorts, StepPorts } from '../ports.ts';

/** Atlas's endpoint service behind a service.atlas request, as its API last reported it. */
export interface AtlasServiceState {
  name: 'atlas';
  projectId: string;
  clusterName: string;
  /** Atlas's 24-hex id of its endpoint service */
  endpointServiceId: string;
  status: AtlasServiceStatus;
  /** this request created it (else it adopted the project's service for the region) */
  created: boolean;
}

/**
 * How the endpoint service came to the request: `own` (we created it for our NLB), `named` (a service
 * name given), `vendor` (a known vendor without an API), `atlas` (through Atlas's API).
 */
export type ServiceKind = 'own' | 'named' | 'vendor' | 'atlas';

/** $.service */
export interface ServiceState {
  kind: ServiceKind;
  /** false while Atlas still creates its endpoint service: the workflow waits and checks again */
  ready: boolean;
  polls: number;
  waitSeconds: number;
  /** epoch ms: Atlas's service must be ready by then */
  deadlineAt: number;
  /** empty while Atlas creates its service */
  serviceId: string;
  serviceName: string;
  vendor?: AtlasServiceState;
  /** consumer.external: what the other party must run (shown while the workflow waits) */
  consumerAction?: Action;
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
  /** available on AWS's side and, for Atlas, AVAILABLE at Atlas too: the workflow goes on */
  ready: boolean;
  /** while the service's owner must act (a vendor without an API): what to do, and until when (epoch ms) */
  action?: Action;
  vendorDeadlineAt?: number;
  /** service.atlas: Atlas's connectionStatus for this endpoint */
  vendorStatus?: string;
}

/** $.atlas: reading the cluster's private connection strings once Atlas has them. */
export interface AtlasStringsState {
  ready: boolean;
  polls: number;
  waitSeconds: number;
  deadlineAt: number;
  clusterState?: string;
  strings?: { standard?: string; srv?: string; srvShardOptimized?: string };
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
  atlas?: AtlasStringsState;
  /** consumer.external: the endpoint the other party reported (finalize) */
  consumerReport?: { endpointId: string; dnsName?: string };
  /** Catch ResultPaths: $.failed.<StateName> = { Error, Cause } */
  failed?: Record<string, { Error?: string; Cause?: string }>;
  undo?: UndoState;
}

/** Which attempt's idempotency tokens the steps use: 1 unless the starter says otherwise. */
export function tokenAttempt(state: WorkflowState): number {
  return Number.isInteger(state.attempt) && (state.attempt ?? 0) > 0 ? (state.attempt as number) : 1;
}
