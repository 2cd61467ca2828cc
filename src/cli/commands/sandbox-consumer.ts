// `privatelink sandbox consumer create-endpoint --request-id ID`: plays the other party of a hand-off
// (consumer.external): creates, in their account's VPC of the seed, the interface endpoint to the
// service the waiting request names, and prints its id for `privatelink finalize`.
import type { Environment } from '../../core/app/environment.ts';
import { handOffFor } from '../../core/app/hand-off.ts';
import { RequestNotFoundError } from '../../core/errors.ts';
import { resultOf } from '../../core/runner/results.ts';
import { type CliArgs, UsageError } from '../args.ts';
import { EXIT, type Io } from './io.ts';

/** A refusal of the command itself (not a hand-off, not waiting): exit 2. */
export class ConsumerRefusedError extends Error {
  override readonly name = 'ConsumerRefusedError' as const;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface External {
  accountId: string;
  vpcId?: string;
  subnetIds?: string[];
}

function externalOf(input: unknown): External | undefined {
  const consumer = (input as { request?: { consumer?: { external?: unknown } } } | undefined)?.request?.consumer;
  const external = consumer?.external as Partial<External> | undefined;
  return typeof external?.accountId === 'string' ? (external as External) : undefined;
}

export async function createEndpoint(args: CliArgs, env: Environment, io: Io): Promise<number> {
  if (!env.sandbox)
    throw new UsageError('sandbox consumer create-endpoint needs the sandbox (not --aws)', 'SandboxOnly');
  const requestId = args.requestId ?? '';
  const record = await env.store.get('provision', requestId);
  if (!record) throw new RequestNotFoundError(requestId);
  const external = externalOf(record.input);
  if (!external)
    throw new ConsumerRefusedError(
      'NotAHandOff',
      `request ${requestId} has no consumer.external: its endpoint is made by the workflow, not by another party`,
    );
  const waitingFor = await handOffFor(env.stateDir).waitingFor(requestId);
  if (!waitingFor)
    throw new ConsumerRefusedError(
      'NotWaitingForConsumer',
      `request ${requestId} is not waiting for the other party's endpoint (it is ${resultOf(record).status})`,
    );
  const serviceName = waitingFor.serviceName;
  if (!serviceName)
    throw new ConsumerRefusedError('NotWaitingForConsumer', `request ${requestId} waits, but names no service yet`);
  const { endpointId, dnsName } = await env.sandbox.createConsumerEndpoint({
    accountId: external.accountId,
    ...(external.vpcId !== undefined && { vpcId: external.vpcId }),
    ...(external.subnetIds !== undefined && { subnetIds: external.subnetIds }),
    serviceName,
  });
  // The sandbox keeps the action under its lock when it shares its state directory; saved outright
  // too, since env.save() writes only when the clock or the call counts moved, and the action moves neither.
  await env.sandbox.save(env.stateDir);
  io.err(
    `privatelink: the other party (account ${external.accountId}) created ${endpointId} to ${serviceName}; report it with\n` +
      `  privatelink finalize --request-id ${requestId} --endpoint-id ${endpointId}${dnsName ? ` --dns-name ${dnsName}` : ''}`,
  );
  io.out(
    args.json
      ? JSON.stringify({ endpointId, dnsName, requestId, accountId: external.accountId, serviceName }, null, 2)
      : endpointId,
  );
  return EXIT.ok;
}
