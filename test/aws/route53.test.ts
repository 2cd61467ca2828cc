import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  type HostedZone,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildRoute53Adapter } from '../../src/core/aws/route53.ts';
import { AwsRequestError, TransientAwsError } from '../../src/core/errors.ts';
import { rejection, route53Error, sentInputs } from './setup.ts';

const r53Mock = mockClient(Route53Client);
const adapter = buildRoute53Adapter(new Route53Client({ region: 'us-east-1' }));

const HOST = 'pl-0-us-east-1-k45tj.mongodb.net';
const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const VPC_ID = 'vpc-0a1b2c3d4e5f67890';
const SUBMITTED = new Date('2025-01-02T03:04:05Z');

const inputs = <T extends object>(command: abstract new (...args: never[]) => { input: T }) =>
  sentInputs(r53Mock, command);

function zone(id: string, name: string, privateZone: boolean, callerReference = `ref-${id}`): HostedZone {
  return {
    Id: `/hostedzone/${id}`,
    Name: name,
    CallerReference: callerReference,
    Config: { PrivateZone: privateZone },
  };
}

beforeEach(() => {
  r53Mock.reset();
});

describe('findZonesByName', () => {
  it('lists from the name and keeps only zones named exactly that, ids and names cleaned', async () => {
    r53Mock.on(ListHostedZonesByNameCommand).resolves({
      HostedZones: [
        zone('ZPRIVATE', `${HOST}.`, true, 'cluster0-app-prod'),
        zone('ZPUBLIC', `${HOST}.`, false),
        zone('ZOTHER', `x.${HOST}.`, true),
      ],
      IsTruncated: false,
    });

    const zones = await adapter.findZonesByName(HOST);

    expect(r53Mock).toHaveReceivedCommandExactlyOnceWith(ListHostedZonesByNameCommand, {
      DNSName: HOST,
      MaxItems: 100,
    });
    expect(zones).toEqual([
      { hostedZoneId: 'ZPRIVATE', name: HOST, privateZone: true, callerReference: 'cluster0-app-prod' },
      { hostedZoneId: 'ZPUBLIC', name: HOST, privateZone: false, callerReference: 'ref-ZPUBLIC' },
    ]);
    // the list carries each zone's CallerReference: no GetHostedZone is needed to know whose it is
    expect(r53Mock).toHaveReceivedCommandTimes(GetHostedZoneCommand, 0);
  });

  it('asks once when the first page holds every zone of the name, whatever follows it', async () => {
    r53Mock.on(ListHostedZonesByNameCommand).resolves({
      HostedZones: [zone('Z1', `${HOST}.`, true)],
      IsTruncated: true,
      NextDNSName: `z.${HOST}.`,
      NextHostedZoneId: 'Z9',
    });

    const zones = await adapter.findZonesByName(HOST);

    expect(zones.map((z) => z.hostedZoneId)).toEqual(['Z1']);
    expect(r53Mock).toHaveReceivedCommandTimes(ListHostedZonesByNameCommand, 1);
  });

  it('pages on while the next zone still has the name', async () => {
    r53Mock
      .on(ListHostedZonesByNameCommand)
      .resolvesOnce({
        HostedZones: [zone('Z1', `${HOST}.`, true)],
        IsTruncated: true,
        NextDNSName: `${HOST}.`,
        NextHostedZoneId: 'Z2',
      })
      .resolvesOnce({
        HostedZones: [zone('Z2', `${HOST}.`, true)],
        IsTruncated: true,
        NextDNSName: 'zz.example.com.',
        NextHostedZoneId: 'Z9',
      });

    const zones = await adapter.findZonesByName(HOST);

    expect(inputs(ListHostedZonesByNameCommand)).toEqual([
      { DNSName: HOST, MaxItems: 100 },
      { DNSName: `${HOST}.`, HostedZoneId: 'Z2', MaxItems: 100 },
    ]);
    expect(zones.map((z) => z.hostedZoneId)).toEqual(['Z1', 'Z2']);
  });

  it('turns Throttling into a TransientAwsError', async () => {
    r53Mock.on(ListHostedZonesByNameCommand).rejects(route53Error('Throttling'));

    const error = await rejection(adapter.findZonesByName(HOST));

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error).toMatchObject({ code: 'Throttling', operation: 'ListHostedZonesByName' });
  });
});

describe('getZone', () => {
  it('maps the zone with its VPCs', async () => {
    r53Mock.on(GetHostedZoneCommand).resolves({
      HostedZone: zone(ZONE_ID, `${HOST}.`, true, 'cluster0-app-prod'),
      VPCs: [
        { VPCId: VPC_ID, VPCRegion: 'us-east-1' },
        { VPCId: 'vpc-1', VPCRegion: 'eu-west-1' },
      ],
    });

    const found = await adapter.getZone(ZONE_ID);

    expect(r53Mock).toHaveReceivedCommandExactlyOnceWith(GetHostedZoneCommand, { Id: ZONE_ID });
    expect(found).toEqual({
      hostedZoneId: ZONE_ID,
      name: HOST,
      privateZone: true,
      callerReference: 'cluster0-app-prod',
      vpcs: [
        { vpcId: VPC_ID, region: 'us-east-1' },
        { vpcId: 'vpc-1', region: 'eu-west-1' },
      ],
    });
  });

  it('answers undefined for NoSuchHostedZone', async () => {
    r53Mock.on(GetHostedZoneCommand).rejects(route53Error('NoSuchHostedZone', { status: 404 }));

    await expect(adapter.getZone(ZONE_ID)).resolves.toBeUndefined();
  });

  it('lets other errors through translated', async () => {
    r53Mock.on(GetHostedZoneCommand).rejects(route53Error('AccessDenied', { status: 403 }));

    const error = await rejection(adapter.getZone(ZONE_ID));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'AccessDenied', operation: 'GetHostedZone' });
  });
});

describe('createPrivateZone', () => {
  const args = {
    name: HOST,
    callerReference: 'cluster0-app-prod-zone-0',
    vpcId: VPC_ID,
    region: 'us-east-1',
    comment: 'privatelink-automation cluster0-app-prod',
  };

  it('creates a private zone in the VPC and answers the bare zone and change ids', async () => {
    r53Mock.on(CreateHostedZoneCommand).resolves({
      HostedZone: zone(ZONE_ID, `${HOST}.`, true),
      ChangeInfo: { Id: '/change/C123', Status: 'PENDING', SubmittedAt: SUBMITTED },
      DelegationSet: { NameServers: [] },
      Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${ZONE_ID}`,
    });

    const created = await adapter.createPrivateZone(args);

    expect(r53Mock).toHaveReceivedCommandExactlyOnceWith(CreateHostedZoneCommand, {
      Name: HOST,
      CallerReference: 'cluster0-app-prod-zone-0',
      VPC: { VPCRegion: 'us-east-1', VPCId: VPC_ID },
      HostedZoneConfig: { Comment: 'privatelink-automation cluster0-app-prod', PrivateZone: true },
    });
    expect(created).toEqual({ hostedZoneId: ZONE_ID, changeId: 'C123' });
  });

  // The step creates first and adopts on these two codes, so both must arrive with their code intact.
  it.each([
    ['HostedZoneAlreadyExists', 409],
    ['ConflictingDomainExists', 400],
  ])('turns %s into an AwsRequestError with its code', async (code, status) => {
    r53Mock.on(CreateHostedZoneCommand).rejects(route53Error(code, { status }));

    const error = await rejection(adapter.createPrivateZone(args));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code, operation: 'CreateHostedZone' });
    expect(r53Mock).toHaveReceivedCommandTimes(CreateHostedZoneCommand, 1);
  });
});

describe('associateVpc', () => {
  it('associates the VPC and answers the bare change id', async () => {
    r53Mock.on(AssociateVPCWithHostedZoneCommand).resolves({
      ChangeInfo: { Id: '/change/C456', Status: 'PENDING', SubmittedAt: SUBMITTED },
    });

    const changeId = await adapter.associateVpc(ZONE_ID, VPC_ID, 'us-east-1');

    expect(r53Mock).toHaveReceivedCommandExactlyOnceWith(AssociateVPCWithHostedZoneCommand, {
      HostedZoneId: ZONE_ID,
      VPC: { VPCRegion: 'us-east-1', VPCId: VPC_ID },
    });
    expect(changeId).toBe('C456');
  });

  it('takes ConflictingDomainExists as success when this zone already has the VPC', async () => {
    r53Mock.on(AssociateVPCWithHostedZoneCommand).rejects(route53Error('ConflictingDomainExists'));
    r53Mock.on(GetHostedZoneCommand).resolves({
      HostedZone: zone(ZONE_ID, `${HOST}.`, true),
      VPCs: [{ VPCId: VPC_ID, VPCRegion: 'us-east-1' }],
    });

    await expect(adapter.associateVpc(ZONE_ID, VPC_ID, 'us-east-1')).resolves.toBeUndefined();
    expect(r53Mock).toHaveReceivedCommandWith(GetHostedZoneCommand, { Id: ZONE_ID });
  });

  it('throws ConflictingDomainExists when another zone of that name has the VPC', async () => {
    r53Mock.on(AssociateVPCWithHostedZoneCommand).rejects(route53Error('ConflictingDomainExists'));
    r53Mock.on(GetHostedZoneCommand).resolves({
      HostedZone: zone(ZONE_ID, `${HOST}.`, true),
      VPCs: [{ VPCId: 'vpc-other', VPCRegion: 'us-east-1' }],
    });

    const error = await rejection(adapter.associateVpc(ZONE_ID, VPC_ID, 'us-east-1'));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'ConflictingDomainExists', operation: 'AssociateVPCWithHostedZone' });
  });

  it('turns PriorRequestNotComplete into a TransientAwsError', async () => {
    r53Mock.on(AssociateVPCWithHostedZoneCommand).rejects(route53Error('PriorRequestNotComplete'));

    const error = await rejection(adapter.associateVpc(ZONE_ID, VPC_ID, 'us-east-1'));

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error).toMatchObject({ code: 'PriorRequestNotComplete', operation: 'AssociateVPCWithHostedZone' });
  });
});

describe('tagZone', () => {
  it('adds the tags to the hosted zone', async () => {
    r53Mock.on(ChangeTagsForResourceCommand).resolves({});

    await adapter.tagZone(ZONE_ID, { 'privatelink:request-id': 'cluster0-app-prod', team: 'payments' });

    expect(r53Mock).toHaveReceivedCommandExactlyOnceWith(ChangeTagsForResourceCommand, {
      ResourceType: 'hostedzone',
      ResourceId: ZONE_ID,
      AddTags: [
        { Key: 'privatelink:request-id', Value: 'cluster0-app-prod' },
        { Key: 'team', Value: 'payments' },
      ],
    });
  });
});

describe('findZonesByTag', () => {
  it('lists every page of zones, asks tags of private ones 10 at a time and keeps those tagged', async () => {
    const privateZones = Array.from({ length: 12 }, (_, i) => zone(`ZP${i}`, `z${i}.example.com.`, true));
    r53Mock
      .on(ListHostedZonesCommand)
      .resolvesOnce({
        HostedZones: [...privateZones.slice(0, 7), zone('ZPUB', 'example.com.', false)],
        IsTruncated: true,
        NextMarker: 'ZP7',
        Marker: '',
        MaxItems: 8,
      })
      .resolvesOnce({ HostedZones: privateZones.slice(7), IsTruncated: false, Marker: 'ZP7', MaxItems: 8 });
    const wanted = { Key: 'privatelink:request-id', Value: 'cluster0-app-prod' };
    r53Mock
      .on(ListTagsForResourcesCommand)
      .resolvesOnce({
        ResourceTagSets: [
          { ResourceType: 'hostedzone', ResourceId: 'ZP1', Tags: [wanted] },
          { ResourceType: 'hostedzone', ResourceId: 'ZP2', Tags: [{ ...wanted, Value: 'another-request' }] },
        ],
      })
      .resolvesOnce({ ResourceTagSets: [{ ResourceType: 'hostedzone', ResourceId: 'ZP11', Tags: [wanted] }] });

    const zones = await adapter.findZonesByTag('privatelink:request-id', 'cluster0-app-prod');

    expect(inputs(ListHostedZonesCommand)).toEqual([{}, { Marker: 'ZP7' }]);
    expect(inputs(ListTagsForResourcesCommand)).toEqual([
      { ResourceType: 'hostedzone', ResourceIds: privateZones.slice(0, 10).map((_, i) => `ZP${i}`) },
      { ResourceType: 'hostedzone', ResourceIds: ['ZP10', 'ZP11'] },
    ]);
    expect(zones).toEqual([
      { hostedZoneId: 'ZP1', name: 'z1.example.com', privateZone: true, callerReference: 'ref-ZP1' },
      { hostedZoneId: 'ZP11', name: 'z11.example.com', privateZone: true, callerReference: 'ref-ZP11' },
    ]);
  });

  it('asks no tags when there is no private zone', async () => {
    r53Mock
      .on(ListHostedZonesCommand)
      .resolves({ HostedZones: [zone('ZPUB', 'example.com.', false)], IsTruncated: false });

    await expect(adapter.findZonesByTag('k', 'v')).resolves.toEqual([]);
    expect(r53Mock).not.toHaveReceivedCommand(ListTagsForResourcesCommand);
  });
});

describe('listRecords', () => {
  it('reads every page and maps records, values and alias targets without trailing dots', async () => {
    r53Mock
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [
          { Name: `${HOST}.`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.1.15' }, { Value: '10.0.2.20' }] },
          { Name: `\\052.${HOST}.`, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'x.example.com' }] },
        ],
        IsTruncated: true,
        NextRecordName: `${HOST}.`,
        NextRecordType: 'TXT',
        NextRecordIdentifier: 'set-1',
        MaxItems: 2,
      })
      .resolvesOnce({
        ResourceRecordSets: [
          {
            Name: `alias.${HOST}.`,
            Type: 'A',
            AliasTarget: {
              HostedZoneId: 'Z7HUB22UULQXV',
              DNSName: 'vpce-0a-x.vpce-svc-0.us-east-1.vpce.amazonaws.com.',
              EvaluateTargetHealth: false,
            },
          },
        ],
        IsTruncated: false,
        MaxItems: 2,
      });

    const records = await adapter.listRecords(ZONE_ID);

    expect(inputs(ListResourceRecordSetsCommand)).toEqual([
      { HostedZoneId: ZONE_ID },
      { HostedZoneId: ZONE_ID, StartRecordName: `${HOST}.`, StartRecordType: 'TXT', StartRecordIdentifier: 'set-1' },
    ]);
    expect(records).toEqual([
      { name: HOST, type: 'A', ttl: 60, values: ['10.0.1.15', '10.0.2.20'] },
      { name: `*.${HOST}`, type: 'CNAME', ttl: 300, values: ['x.example.com'] },
      {
        name: `alias.${HOST}`,
        type: 'A',
        values: [],
        aliasTarget: {
          hostedZoneId: 'Z7HUB22UULQXV',
          dnsName: 'vpce-0a-x.vpce-svc-0.us-east-1.vpce.amazonaws.com',
          evaluateTargetHealth: false,
        },
      },
    ]);
  });

  it('turns NoSuchHostedZone into an AwsRequestError', async () => {
    r53Mock.on(ListResourceRecordSetsCommand).rejects(route53Error('NoSuchHostedZone', { status: 404 }));

    const error = await rejection(adapter.listRecords(ZONE_ID));

    expect(error).toMatchObject({
      name: 'AwsRequestError',
      code: 'NoSuchHostedZone',
      operation: 'ListResourceRecordSets',
    });
  });
});

describe('changeRecords', () => {
  it('sends one batch with fully qualified names, alias records without TTL, and answers the bare change id', async () => {
    r53Mock.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C789', Status: 'PENDING', SubmittedAt: SUBMITTED },
    });

    const changeId = await adapter.changeRecords(
      ZONE_ID,
      [
        { action: 'UPSERT', record: { name: HOST, type: 'A', ttl: 60, values: ['10.0.1.15', '10.0.2.20'] } },
        {
          action: 'UPSERT',
          record: { name: 'cluster0.example.com', type: 'TXT', ttl: 300, values: ['"authSource=admin"'] },
        },
        {
          action: 'DELETE',
          record: {
            name: `alias.${HOST}.`,
            type: 'A',
            ttl: 60,
            values: [],
            aliasTarget: {
              hostedZoneId: 'Z7HUB22UULQXV',
              dnsName: 'vpce-0a.vpce.amazonaws.com',
              evaluateTargetHealth: false,
            },
          },
        },
      ],
      'privatelink-automation cluster0-app-prod',
    );

    expect(inputs(ChangeResourceRecordSetsCommand)).toStrictEqual([
      {
        HostedZoneId: ZONE_ID,
        ChangeBatch: {
          Comment: 'privatelink-automation cluster0-app-prod',
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: `${HOST}.`,
                Type: 'A',
                TTL: 60,
                ResourceRecords: [{ Value: '10.0.1.15' }, { Value: '10.0.2.20' }],
              },
            },
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'cluster0.example.com.',
                Type: 'TXT',
                TTL: 300,
                ResourceRecords: [{ Value: '"authSource=admin"' }],
              },
            },
            {
              Action: 'DELETE',
              ResourceRecordSet: {
                Name: `alias.${HOST}.`,
                Type: 'A',
                AliasTarget: {
                  HostedZoneId: 'Z7HUB22UULQXV',
                  DNSName: 'vpce-0a.vpce.amazonaws.com',
                  EvaluateTargetHealth: false,
                },
              },
            },
          ],
        },
      },
    ]);
    expect(changeId).toBe('C789');
  });

  it("sends Pinecone's wildcard alias with its asterisk as it is", async () => {
    r53Mock.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C790', Status: 'PENDING', SubmittedAt: SUBMITTED },
    });
    const aliasTarget = {
      hostedZoneId: 'Z7HUB22UULQXV',
      dnsName: 'vpce-0a-x.vpce-svc-05ef6f1f0b9130b54.us-east-1.vpce.amazonaws.com',
      evaluateTargetHealth: false,
    };

    await adapter.changeRecords(
      ZONE_ID,
      [
        {
          action: 'UPSERT',
          record: { name: '*.private.aped-4627-b74a.pinecone.io', type: 'A', values: [], aliasTarget },
        },
      ],
      'c',
    );

    expect(inputs(ChangeResourceRecordSetsCommand)).toStrictEqual([
      {
        HostedZoneId: ZONE_ID,
        ChangeBatch: {
          Comment: 'c',
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: '*.private.aped-4627-b74a.pinecone.io.',
                Type: 'A',
                AliasTarget: {
                  HostedZoneId: 'Z7HUB22UULQXV',
                  DNSName: 'vpce-0a-x.vpce-svc-05ef6f1f0b9130b54.us-east-1.vpce.amazonaws.com',
                  EvaluateTargetHealth: false,
                },
              },
            },
          ],
        },
      },
    ]);
  });

  it('turns InvalidChangeBatch into an AwsRequestError', async () => {
    r53Mock.on(ChangeResourceRecordSetsCommand).rejects(route53Error('InvalidChangeBatch'));

    const error = await rejection(adapter.changeRecords(ZONE_ID, [], 'c'));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'InvalidChangeBatch', operation: 'ChangeResourceRecordSets' });
  });

  it('turns Throttling into a TransientAwsError', async () => {
    r53Mock.on(ChangeResourceRecordSetsCommand).rejects(route53Error('Throttling'));

    const error = await rejection(adapter.changeRecords(ZONE_ID, [], 'c'));

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error).toMatchObject({ code: 'Throttling', operation: 'ChangeResourceRecordSets' });
  });
});

describe('changeStatus', () => {
  it.each(['PENDING', 'INSYNC'] as const)('answers %s', async (status) => {
    r53Mock
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C789', Status: status, SubmittedAt: SUBMITTED } });

    await expect(adapter.changeStatus('C789')).resolves.toBe(status);
    expect(r53Mock).toHaveReceivedCommandExactlyOnceWith(GetChangeCommand, { Id: 'C789' });
  });

  it('turns NoSuchChange into an AwsRequestError', async () => {
    r53Mock.on(GetChangeCommand).rejects(route53Error('NoSuchChange', { status: 404 }));

    const error = await rejection(adapter.changeStatus('C789'));

    expect(error).toMatchObject({ name: 'AwsRequestError', code: 'NoSuchChange', operation: 'GetChange' });
  });
});

describe('deleteZone', () => {
  it('deletes the zone', async () => {
    r53Mock.on(DeleteHostedZoneCommand).resolves({
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: SUBMITTED },
    });

    await adapter.deleteZone(ZONE_ID);

    expect(r53Mock).toHaveReceivedCommandExactlyOnceWith(DeleteHostedZoneCommand, { Id: ZONE_ID });
  });

  it('takes a zone already gone as done', async () => {
    r53Mock.on(DeleteHostedZoneCommand).rejects(route53Error('NoSuchHostedZone', { status: 404 }));

    await expect(adapter.deleteZone(ZONE_ID)).resolves.toBeUndefined();
  });

  it('throws HostedZoneNotEmpty as an AwsRequestError', async () => {
    r53Mock.on(DeleteHostedZoneCommand).rejects(route53Error('HostedZoneNotEmpty'));

    const error = await rejection(adapter.deleteZone(ZONE_ID));

    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'HostedZoneNotEmpty', operation: 'DeleteHostedZone' });
  });
});
