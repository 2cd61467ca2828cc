// The contract's result: CLI --json output, GET /endpoints/{id} body, and event detail.
import type { RecordSet } from '../ports.ts';
import type { ConnectionStrings } from './connection-strings.ts';

export type ResultStatus = 'PROVISIONING' | 'WAITING_FOR_CONSUMER' | 'READY' | 'FAILED' | 'DELETING' | 'DELETED';

export interface ProvisionResult {
  requestId: string;
  status: ResultStatus;
  /** while PROVISIONING or DELETING: the state the workflow is in */
  currentStep?: string;
  service?: { serviceName: string; serviceId: string; created: boolean };
  endpoint?: { endpointId: string; state: string; dnsName: string; privateIpAddresses: string[] };
  dns?: { zones: { hostedZoneId: string; name: string }[]; records: RecordSet[] };
  connectionStrings?: ConnectionStrings;
  error?: { code: string; step: string; message: string };
  /** FAILED and DELETED: what was removed, in order; and what was deliberately left, with why */
  undone?: string[];
  kept?: string[];
  stats?: { simulatedSeconds: number; stateTransitions: number; awsCalls: Record<string, number> };
}
