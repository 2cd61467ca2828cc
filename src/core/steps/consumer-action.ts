// consumer.external: once the service has a name, the exact command the other party runs (the result's
// `actions` while the workflow waits for it).
import { consumerAction } from '../domain/hand-off.ts';
import type { ServiceState, WorkflowState } from './state.ts';

export function withConsumerAction(state: WorkflowState, service: ServiceState): ServiceState {
  const { request } = state;
  if (!('external' in request.consumer) || !service.ready || !service.serviceName) return service;
  return { ...service, consumerAction: consumerAction(request, service.serviceName) };
}
