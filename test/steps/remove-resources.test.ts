// Passes of a removal against the sandbox behind the real adapters: what a pass settles at Route 53 is
// remembered and not asked again, and Route 53 throttling holds back only the zones, never our records
// in others' zones (known by the endpoint's addresses, remembered before the endpoint goes).

import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { route53Client } from '../../src/core/aws/clients.ts';
import { type ProvisionRequest, REQUEST_ID_TAG, requireProvisionRequest } from '../../src/core/domain/request.ts';
import { Sandbox } from '../../src/core/sandbox/index.ts';
import { removeRequestResources, THROTTLED_WAIT } from '../../src/core/steps/remove-resources.ts';
import type { StepPorts } from '../../src/core/steps/state.ts';
import { upsertDnsRecords } from '../../src/core/steps/upsert-dns-records.ts';
import {
  availableEndpoint,
  ordersInInternalZone,
  STEP_SERVICE,
  STEP_SUBNETS,
  STEP_VPC,
  stepPorts,
  stepSeed,
} from '../support/step-sandbox.ts';

const VPC = STEP_VPC;
const SUBNETS = STEP_SUBNETS;
const SERVICE = STEP_SERVICE;
const ROUTE53 = /HostedZone|ResourceRecordSets|GetChange|TagsForResource/;

let sandbox: Sandbox;
let detach: () => void;
let ports: StepPorts;

beforeEach(() => {
  sandbox = Sandbox.fromSeed(stepSeed({ timing: { endpointDeletedAfterSeconds: 30 } }));
  detach = sandbox.attach();
  ports = stepPorts(sandbox);
});
afterEach(() => detach());

const mongo = requireProvisionRequest({
  requestId: 'cluster0-app-prod',
  region: 'us-east-1',
  service: { serviceName: SERVICE },
  consumer: { vpcId: VPC, subnetIds: SUBNETS, securityGroupIds: ['sg-0fedcba9876543210'] },
  target: {
    kind: 'mongodb',
    host: 'pl-0-us-east-1-k45tj.mongodb.net',
    ports: [1024, 1025, 1026],
    srvHost: 'cluster0-pl-0-k45tj.mongodb.net',
    replicaSet: 'rs0',
  },
  dns: { records: 'A' },
});

/** Our endpoint (tagged as CreateInterfaceEndpoint tags it) and our records, as a provisioning leaves them. */
async function provisioned(request: ProvisionRequest): Promise<string> {
  const endpoint = await availableEndpoint(ports, { [REQUEST_ID_TAG]: request.requestId });
  await upsertDnsRecords({ request, attempt: 1, endpoint }, ports);
  return endpoint.endpointId;
}

/** `ordersInInternalZone` provisioned, its record beside one of someone else's in their zone. */
async function provisionedBesideOthers(): Promise<{ request: ProvisionRequest; endpointId: string }> {
  await othersZone('internal.example.com', 'billing.internal.example.com');
  const request = ordersInInternalZone();
  return { request, endpointId: await provisioned(request) };
}

/** A private zone someone else made in the VPC, with one record of theirs. */
async function othersZone(name: string, record: string): Promise<void> {
  const client = route53Client();
  const created = await client.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: `someone-else-${name}`,
      VPC: { VPCId: VPC, VPCRegion: 'us-east-1' },
      HostedZoneConfig: { PrivateZone: true },
    }),
  );
  await client.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: (created.HostedZone?.Id ?? '').replace('/hostedzone/', ''),
      ChangeBatch: {
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: { Name: record, Type: 'A', TTL: 300, ResourceRecords: [{ Value: '10.0.9.9' }] },
          },
        ],
      },
    }),
  );
}

/** The Route 53 calls `run` makes, by operation. */
async function route53Calls<T>(run: () => Promise<T>): Promise<{ value: T; calls: Record<string, number> }> {
  sandbox.resetCallCounts();
  const value = await run();
  return { value, calls: Object.fromEntries(Object.entries(sandbox.callCounts()).filter(([op]) => ROUTE53.test(op))) };
}

describe('removal passes', () => {
  it('a zone removed in one pass is not looked up in the next', async () => {
    const endpointId = await provisioned(mongo);
    const first = await removeRequestResources(mongo, ports);
    expect(first.undone.join('\n')).toMatch(/deleted private hosted zone cluster0-pl-0-k45tj\.mongodb\.net/);
    expect(first.undone).toContain(`deleted interface endpoint ${endpointId}`);
    expect(first.memory.zones).toEqual([
      { name: 'cluster0-pl-0-k45tj.mongodb.net', why: 'deleted' },
      { name: 'pl-0-us-east-1-k45tj.mongodb.net', why: 'deleted' },
    ]);

    const { value: second, calls } = await route53Calls(() => removeRequestResources(mongo, ports, {}, first.memory));
    expect(calls).toEqual({});
    expect(second.waitingFor).toEqual([`endpoint ${endpointId} to be deleted`]);

    sandbox.advance(31);
    const last = await removeRequestResources(mongo, ports, {}, second.memory);
    expect(last.waitingFor).toEqual([]);
    expect(sandbox.inventory().hostedZones).toEqual([]);
    expect(sandbox.inventory().endpoints).toEqual([]);
  });

  it('a name with no zone of ours left is remembered as absent', async () => {
    await provisioned(mongo);
    const first = await removeRequestResources(mongo, ports);
    // a pass that does not know the zones went (a retried one) finds no zone at either name
    const again = await removeRequestResources(mongo, ports, {}, { endpoint: first.memory.endpoint });
    expect(again.memory.zones).toEqual([
      { name: 'cluster0-pl-0-k45tj.mongodb.net', why: 'absent' },
      { name: 'pl-0-us-east-1-k45tj.mongodb.net', why: 'absent' },
    ]);
  });

  it('a zone of ours found but not removed (throttled) is read by id in the next pass, not looked up by name', async () => {
    await provisioned(mongo);
    sandbox.addFault('ChangeResourceRecordSets:Throttling');
    const first = await removeRequestResources(mongo, ports);
    expect(first.undone).toEqual([]);
    expect(first.memory.ownZones?.map((z) => z.name)).toEqual(['cluster0-pl-0-k45tj.mongodb.net']);

    sandbox.clearFaults();
    const { value: second, calls } = await route53Calls(() => removeRequestResources(mongo, ports, {}, first.memory));
    expect(calls).toStrictEqual({
      ListHostedZonesByName: 1,
      ListResourceRecordSets: 2,
      ChangeResourceRecordSets: 2,
      DeleteHostedZone: 2,
    });
    expect(second.memory.zones?.map((z) => z.why)).toEqual(['deleted', 'deleted']);
    expect(second.memory.ownZones).toBeUndefined();
    expect(sandbox.inventory().hostedZones).toEqual([]);
  });

  it('a zone of ours remembered by id and gone since counts as absent', async () => {
    await provisioned(mongo);
    sandbox.addFault('ChangeResourceRecordSets:Throttling');
    const first = await removeRequestResources(mongo, ports);
    const [remembered] = first.memory.ownZones ?? [];
    if (!remembered) throw new Error('no zone remembered');
    sandbox.clearFaults();
    // removed meanwhile by someone else (another request sharing the name removes it once empty)
    const ours = (await ports.route53.listRecords(remembered.hostedZoneId)).filter(
      (r) => r.type !== 'SOA' && r.type !== 'NS',
    );
    await ports.route53.changeRecords(
      remembered.hostedZoneId,
      ours.map((record) => ({ action: 'DELETE' as const, record })),
      'someone else',
    );
    await ports.route53.deleteZone(remembered.hostedZoneId);
    const second = await removeRequestResources(mongo, ports, {}, first.memory);
    expect(second.failed).toEqual([]);
    expect(second.memory.zones?.find((z) => z.name === remembered.name)).toEqual({
      name: remembered.name,
      why: 'absent',
    });
  });

  it('Route 53 throttled: the endpoint goes once its addresses are remembered; our records in others’ zone are still found', async () => {
    const { request, endpointId } = await provisionedBesideOthers();
    sandbox.addFault('ListHostedZonesByName:Throttling');

    // The first pass learns the endpoint's addresses but keeps it: the zone is not known yet.
    const first = await removeRequestResources(request, ports);
    expect(first.undone).toEqual([]);
    expect(first.waitingFor).toEqual([
      'Route 53 to answer for zone internal.example.com',
      `endpoint ${endpointId} to be deleted`,
      THROTTLED_WAIT,
    ]);
    expect(first.memory.endpoint?.privateIps).toHaveLength(2);

    // Still throttled: the EC2 side goes on without Route 53.
    const second = await removeRequestResources(request, ports, {}, first.memory);
    expect(second.undone).toEqual([`deleted interface endpoint ${endpointId}`]);
    expect(second.waitingFor).toContain(THROTTLED_WAIT);

    // Route 53 answers again once the endpoint is gone: our record is known by the remembered addresses.
    sandbox.clearFaults();
    sandbox.advance(31);
    const last = await removeRequestResources(request, ports, {}, second.memory);
    expect(last.undone).toEqual(['deleted A orders.internal.example.com in zone internal.example.com']);
    expect(last.waitingFor).toEqual([]);
    const [zone] = sandbox.inventory().hostedZones;
    expect(zone?.records.filter((r) => r.type === 'A').map((r) => r.name)).toEqual(['billing.internal.example.com']);
    expect(sandbox.inventory().endpoints).toEqual([]);
  });

  it('our records in others’ zone failing to delete keep the endpoint, so the next teardown still knows them', async () => {
    const { request, endpointId } = await provisionedBesideOthers();
    sandbox.addFault('ChangeResourceRecordSets:InvalidChangeBatch:1');

    const failedPass = await removeRequestResources(request, ports);
    expect(failedPass.failed.map((f) => f.code)).toEqual(['InvalidChangeBatch']);
    expect(failedPass.undone).toEqual([]);
    // not deleted: still there, not `deleting`
    expect(sandbox.inventory().endpoints.map((e) => [e.endpointId, e.state])).toEqual([[endpointId, 'pending']]);

    // A new removal, with nothing remembered, finds our record by the live endpoint's addresses.
    const next = await removeRequestResources(request, ports);
    expect(next.failed).toEqual([]);
    expect(next.undone).toEqual([
      'deleted A orders.internal.example.com in zone internal.example.com',
      `deleted interface endpoint ${endpointId}`,
    ]);
    const [zone] = sandbox.inventory().hostedZones;
    expect(zone?.records.filter((r) => r.type === 'A').map((r) => r.name)).toEqual(['billing.internal.example.com']);
  });
});
