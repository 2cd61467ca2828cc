// The WorkflowPort over the local runner (sandbox or --aws): what `privatelink serve` answers with.
// Executions run in the background of this process; GET reads the execution store as they progress.
import type { Environment } from '../core/app/environment.ts';
import { finalizeHandOff } from '../core/app/finalize-hand-off.ts';
import { handOffFor } from '../core/app/hand-off.ts';
import { startProvision } from '../core/app/provision.ts';
import { currentResult, startTeardown } from '../core/app/teardown.ts';
import {
  decodePageToken,
  encodePageToken,
  type ResultPage,
  type UnreadableResult,
  unreadableResult,
  type WorkflowPort,
} from '../core/app/workflow-port.ts';
import { atlasStepPorts } from '../core/aws/atlas-step-ports.ts';
import type { ProvisionRequest } from '../core/domain/request.ts';
import type { ProvisionResult } from '../core/domain/result.ts';
import { RequestNotFoundError } from '../core/errors.ts';

export interface LocalWorkflows extends WorkflowPort {
  /** every execution started by this port, settled */
  settled(): Promise<void>;
}

export function localWorkflows(env: Environment, onError: (error: unknown) => void = console.error): LocalWorkflows {
  const running = new Set<Promise<unknown>>();
  const background = (execution: Promise<unknown>) => {
    const tracked = execution.catch(onError).finally(() => running.delete(tracked));
    running.add(tracked);
  };
  const resultFor = async (requestId: string): Promise<ProvisionResult | undefined> => {
    const result = await currentResult(env, requestId);
    if (result?.status !== 'WAITING_FOR_CONSUMER') return result;
    // While waiting, say which service the other party must create its endpoint for.
    const waiting = await handOffFor(env.stateDir).waitingFor(requestId);
    return waiting?.serviceId && waiting.serviceName
      ? { ...result, service: { serviceId: waiting.serviceId, serviceName: waiting.serviceName, created: true } }
      : result;
  };
  return {
    async startProvision(request: ProvisionRequest) {
      const start = await startProvision(env, request);
      if (start.kind === 'existing') return { started: false, result: start.result };
      background(start.execution);
      return {
        started: true,
        result: (await resultFor(request.requestId)) ?? { requestId: request.requestId, status: 'PROVISIONING' },
      };
    },
    getResult: resultFor,
    async listResults({ limit, next }): Promise<ResultPage> {
      const after = next === undefined ? undefined : decodePageToken(next);
      const ids = (await env.store.list('provision'))
        .map((r) => r.requestId)
        .filter((id) => after === undefined || id > after);
      const page = ids.slice(0, limit);
      const items: ProvisionResult[] = [];
      const unreadable: UnreadableResult[] = [];
      // One record that cannot be read (half-written, hand-edited) is reported, not the page's failure.
      for (const id of page) {
        try {
          const result = await resultFor(id);
          if (result) items.push(result);
        } catch (error) {
          onError(error);
          unreadable.push(unreadableResult(id, error));
        }
      }
      const last = page.at(-1);
      return {
        items,
        ...(unreadable.length > 0 && { unreadable }),
        ...(ids.length > limit && last !== undefined && { next: encodePageToken(last) }),
      };
    },
    async startTeardown(requestId) {
      let start: Awaited<ReturnType<typeof startTeardown>>;
      try {
        start = await startTeardown(env, requestId);
      } catch (error) {
        if (error instanceof RequestNotFoundError) return undefined;
        throw error;
      }
      if (start.kind === 'existing') return start.result;
      background(start.execution);
      return (await resultFor(requestId)) ?? { requestId, status: 'DELETING' };
    },
    async finalize(requestId, endpointId, dnsName) {
      // Checked first (it exists, targets this request's service, comes from the allowed account): a
      // refusal (ConsumerEndpointRefusedError) leaves the wait as it was.
      await finalizeHandOff(env, requestId, { endpointId, ...(dnsName && { dnsName }) }, atlasStepPorts);
    },
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
