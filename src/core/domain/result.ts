// The contract's result: CLI --json output, GET /endpoints/{id} body, and event detail.
import type { RecordSet } from '../ports.ts';
import type { ConnectionStrings } from './connection-strings.ts';

export type ResultStatus =
  | 'PROVISIONING'
  | 'WAITING_FOR_CONSUMER'
  | 'WAITING_FOR_VENDOR'
  | 'READY'
  | 'FAILED'
  | 'DELETING'
  | 'DELETED';

/** Something someone else must do before the workflow can go on (contract: the result's `actions`). */
export interface Action {
  /** vendor: the service's owner must accept or register the endpoint; consumer: the other party must create it */
  who: 'vendor' | 'consumer';
  what: string;
  endpointId?: string;
  /** for the consumer: the exact `aws ec2 create-vpc-endpoint …` line */
  command?: string;
}

/** A vendor with an API (Atlas): its own view, as its API last reported it. */
export interface VendorView {
  name: 'atlas';
  endpointServiceId: string;
  status: string;
  connectionStatus?: string;
}

export interface ProvisionResult {
  requestId: string;
  status: ResultStatus;
  /** while PROVISIONING or DELETING: the state the workflow is in */
  currentStep?: string;
  /** only while someone else must act */
  actions?: Action[];
  vendor?: VendorView;
  service?: { serviceName: string; serviceId: string; created: boolean };
  endpoint?: { endpointId: string; state: string; dnsName: string; privateIpAddresses: string[] };
  dns?: { zones: { hostedZoneId: string; name: string }[]; records: RecordSet[] };
  connectionStrings?: ConnectionStrings;
  /** a run whose process died: a re-run (the same request again) carries on where it stopped */
  interrupted?: boolean;
  error?: { code: string; step: string; message: string };
  /** FAILED and DELETED: what was removed, in order; and what was deliberately left, with why */
  undone?: string[];
  kept?: string[];
  /** FAILED: what could not be undone (with the error), or was still going away; teardown removes it */
  remaining?: string[];
  stats?: { simulatedSeconds: number; stateTransitions: number; awsCalls: Record<string, number> };
}
