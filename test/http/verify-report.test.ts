// finalize's check as the httpApi Lambda makes it (verifyConsumerReport), on the sandbox behind the same
// SDK clients: the waiting service as the token stored it, or (a token stored without it) our own
// service found by the request's tag; a mistyped endpoint is refused, the other party's real one passes.
import { CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyConsumerReport } from '../../functions/http-api.ts';
import { type Environment, openEnvironment } from '../../src/core/app/environment.ts';
import { ec2Client } from '../../src/core/aws/clients.ts';
import { type ProvisionRequest, parseProvisionRequest } from '../../src/core/domain/request.ts';
import { ConsumerEndpointRefusedError } from '../../src/core/errors.ts';
import { type LocalWorkflows, localWorkflows } from '../../src/http/local-workflows.ts';
import { rejection } from '../aws/setup.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';

let sandbox: SandboxDir;
let env: Environment;
let workflows: LocalWorkflows;

beforeAll(async () => {
  sandbox = await sandboxDir();
  env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
  workflows = localWorkflows(env, () => {});
});

afterAll(async () => {
  env?.sandbox?.advance(3 * 24 * 3600); // the wait's deadline ends the hand-off left waiting
  await workflows?.settled();
  await env?.close();
  await sandbox?.cleanup();
});

describe('verifyConsumerReport (the httpApi Lambda)', () => {
  it('refuses an endpoint that is not to the waiting service and accepts the one that is', async () => {
    const orders = await example('orders-nlb-tcp.json');
    const parsed = parseProvisionRequest({
      ...orders,
      requestId: 'verify-partner',
      consumer: { external: { accountId: env.sandbox?.accountId } },
    });
    if (!parsed.ok) throw new Error('the request is invalid');
    const request: ProvisionRequest = parsed.request;
    await workflows.startProvision(request);
    let waiting = await workflows.getResult('verify-partner');
    for (let i = 0; i < 400 && waiting?.status !== 'WAITING_FOR_CONSUMER'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      waiting = await workflows.getResult('verify-partner');
    }
    expect(waiting?.status).toBe('WAITING_FOR_CONSUMER');
    const serviceName = waiting?.service?.serviceName ?? '';

    for (const stored of [{}, { serviceId: waiting?.service?.serviceId, serviceName }]) {
      const refused = await rejection(verifyConsumerReport(request, stored, 'vpce-0123456789abcdef0'));
      expect(refused).toBeInstanceOf(ConsumerEndpointRefusedError);
      expect((refused as ConsumerEndpointRefusedError).code).toBe('ConsumerEndpointNotFound');
    }
    const invalid = await rejection(verifyConsumerReport(request, {}, 'vpce-nothex'));
    expect((invalid as ConsumerEndpointRefusedError).code).toBe('InvalidEndpointId');

    const created = await ec2Client('us-east-1').send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: 'vpc-0a1b2c3d4e5f67890',
        ServiceName: serviceName,
        SubnetIds: ['subnet-0a1b2c3d4e5f67890'],
      }),
    );
    const endpointId = created.VpcEndpoint?.VpcEndpointId ?? '';
    await verifyConsumerReport(request, {}, endpointId);
    await verifyConsumerReport(request, { serviceId: waiting?.service?.serviceId, serviceName }, endpointId);
  });
});
