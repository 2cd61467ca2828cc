// The finalize race over HTTP, as `privatelink serve` answers it: 10 concurrent
// POST /endpoints/{id}/finalize for one waiting request, each with its own endpoint of the other
// party: exactly one 202, nine 409, and the request ends READY with the winner's endpoint.
import { CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Environment } from '../../src/core/app/environment.ts';
import { ec2Client } from '../../src/core/aws/clients.ts';
import { example } from '../support/cli.ts';
import { type Served, startServe } from '../support/serve.ts';

let served: Served;
let env: Environment;
let call: Served['call'];
let until: Served['until'];

beforeAll(async () => {
  served = await startServe();
  ({ env, call, until } = served);
});

afterAll(async () => {
  await served?.close();
});

it('10 concurrent finalize calls: one 202, nine 409, READY with the winner', async () => {
  const orders = await example('orders-nlb-tcp.json');
  const request = { ...orders, requestId: 'race-http', consumer: { external: { accountId: env.sandbox?.accountId } } };
  expect((await call('POST', '/endpoints', request)).status).toBe(202);
  const waiting = await until('race-http', ['WAITING_FOR_CONSUMER', 'FAILED', 'READY']);
  expect(waiting.status, JSON.stringify(waiting.error)).toBe('WAITING_FOR_CONSUMER');

  // ten endpoints of the other party to our service, one per caller
  const endpointIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    const created = await ec2Client('us-east-1').send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: 'vpc-0a1b2c3d4e5f67890',
        ServiceName: waiting.service?.serviceName,
        SubnetIds: ['subnet-0a1b2c3d4e5f67890'],
      }),
    );
    endpointIds.push(created.VpcEndpoint?.VpcEndpointId ?? '');
    // EC2's bucket for CreateVpcEndpoint refills slowly: the other party paces its calls.
    env.sandbox?.advance(4);
  }
  const answers = await Promise.all(
    endpointIds.map((endpointId) => call('POST', '/endpoints/race-http/finalize', { endpointId })),
  );
  const statuses = answers.map((a) => a.status);
  const winner = endpointIds[statuses.indexOf(202)];
  console.log(
    `finalize race (HTTP): ${statuses.filter((s) => s === 202).length}/1 accepted, ${statuses.filter((s) => s === 409).length}/9 answered 409`,
  );
  expect(statuses.filter((s) => s === 202)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(9);
  const ready = await until('race-http', ['READY', 'FAILED']);
  expect(ready.status, JSON.stringify(ready.error)).toBe('READY');
  expect(ready.endpoint?.endpointId).toBe(winner);
}, 60_000);
