// Route53Port over the SDK v3 Route 53 client: private hosted zones, their VPCs, tags and records.
import {
  AssociateVPCWithHostedZoneCommand,
  type Change,
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
  type ResourceRecordSet,
  type Route53Client,
  type RRType,
  type VPCRegion,
} from '@aws-sdk/client-route-53';
import { AwsRequestError } from '../errors.ts';
import type { HostedZoneInfo, RecordChange, RecordSet, Route53Port, Tags } from '../ports.ts';
import { awsCall, isAwsCode } from './translate-error.ts';

/** ListTagsForResources takes at most 10 resource ids per call. */
const TAG_BATCH = 10;

function stripPrefix(id: string | undefined, prefix: '/hostedzone/' | '/change/'): string {
  return (id ?? '').replace(prefix, '');
}

/** Route 53 answers names with a trailing dot and octal escapes (`\052` for `*`). */
function fromDnsName(name: string | undefined): string {
  return (name ?? '')
    .replace(/\.$/, '')
    .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

function toFqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function mapZone(zone: HostedZone): HostedZoneInfo {
  return {
    hostedZoneId: stripPrefix(zone.Id, '/hostedzone/'),
    name: fromDnsName(zone.Name),
    privateZone: zone.Config?.PrivateZone ?? false,
    ...(zone.CallerReference && { callerReference: zone.CallerReference }),
  };
}

function mapRecord(record: ResourceRecordSet): RecordSet {
  const alias = record.AliasTarget;
  return {
    name: fromDnsName(record.Name),
    type: record.Type ?? '',
    ...(record.TTL !== undefined && { ttl: record.TTL }),
    values: (record.ResourceRecords ?? []).map((r) => r.Value ?? ''),
    ...(alias && {
      aliasTarget: {
        hostedZoneId: alias.HostedZoneId ?? '',
        dnsName: fromDnsName(alias.DNSName),
        evaluateTargetHealth: alias.EvaluateTargetHealth ?? false,
      },
    }),
  };
}

function toChange({ action, record }: RecordChange): Change {
  const base = { Name: toFqdn(record.name), Type: record.type as RRType };
  if (record.aliasTarget) {
    const { hostedZoneId, dnsName, evaluateTargetHealth } = record.aliasTarget;
    return {
      Action: action,
      ResourceRecordSet: {
        ...base,
        AliasTarget: { HostedZoneId: hostedZoneId, DNSName: dnsName, EvaluateTargetHealth: evaluateTargetHealth },
      },
    };
  }
  return {
    Action: action,
    ResourceRecordSet: {
      ...base,
      ...(record.ttl !== undefined && { TTL: record.ttl }),
      ResourceRecords: record.values.map((Value) => ({ Value })),
    },
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function buildRoute53Adapter(client: Route53Client): Route53Port {
  async function getZone(hostedZoneId: string) {
    try {
      const output = await awsCall('GetHostedZone', () => client.send(new GetHostedZoneCommand({ Id: hostedZoneId })));
      if (!output.HostedZone) return undefined;
      return {
        ...mapZone(output.HostedZone),
        vpcs: (output.VPCs ?? []).map((vpc) => ({ vpcId: vpc.VPCId ?? '', region: vpc.VPCRegion ?? '' })),
      };
    } catch (error) {
      if (isAwsCode(error, 'NoSuchHostedZone')) return undefined;
      throw error;
    }
  }

  return {
    async findZonesByName(name) {
      const wanted = fromDnsName(name).toLowerCase();
      const zones: HostedZoneInfo[] = [];
      let next: { DNSName: string; HostedZoneId?: string } | undefined = { DNSName: name };
      // Zones of one name are listed together from DNSName on; page on only while the next one still has it.
      while (next) {
        const input: { DNSName: string; HostedZoneId?: string } = next;
        const output = await awsCall('ListHostedZonesByName', () =>
          client.send(new ListHostedZonesByNameCommand({ ...input, MaxItems: 100 })),
        );
        zones.push(...(output.HostedZones ?? []).map(mapZone).filter((zone) => zone.name.toLowerCase() === wanted));
        const more =
          output.IsTruncated && output.NextDNSName && fromDnsName(output.NextDNSName).toLowerCase() === wanted;
        next = more ? { DNSName: output.NextDNSName ?? name, HostedZoneId: output.NextHostedZoneId } : undefined;
      }
      return zones;
    },

    getZone,

    async createPrivateZone({ name, callerReference, vpcId, region, comment }) {
      const output = await awsCall('CreateHostedZone', () =>
        client.send(
          new CreateHostedZoneCommand({
            Name: name,
            CallerReference: callerReference,
            VPC: { VPCRegion: region as VPCRegion, VPCId: vpcId },
            HostedZoneConfig: { Comment: comment, PrivateZone: true },
          }),
        ),
      );
      if (!output.HostedZone?.Id) {
        throw new AwsRequestError('EmptyResponse', 'CreateHostedZone', 'the response holds no HostedZone');
      }
      return {
        hostedZoneId: stripPrefix(output.HostedZone.Id, '/hostedzone/'),
        changeId: stripPrefix(output.ChangeInfo?.Id, '/change/'),
      };
    },

    async associateVpc(hostedZoneId, vpcId, region) {
      try {
        const output = await awsCall('AssociateVPCWithHostedZone', () =>
          client.send(
            new AssociateVPCWithHostedZoneCommand({
              HostedZoneId: hostedZoneId,
              VPC: { VPCRegion: region as VPCRegion, VPCId: vpcId },
            }),
          ),
        );
        return output.ChangeInfo?.Id ? stripPrefix(output.ChangeInfo.Id, '/change/') : undefined;
      } catch (error) {
        // Route 53 answers ConflictingDomainExists both when this zone already has the VPC (fine) and when
        // another zone of the same name has it (a real conflict): only the zone's own VPC list tells them apart.
        if (!isAwsCode(error, 'ConflictingDomainExists')) throw error;
        const zone = await getZone(hostedZoneId);
        if (zone?.vpcs.some((vpc) => vpc.vpcId === vpcId && vpc.region === region)) return undefined;
        throw error;
      }
    },

    async tagZone(hostedZoneId, tags: Tags) {
      if (Object.keys(tags).length === 0) return;
      await awsCall('ChangeTagsForResource', () =>
        client.send(
          new ChangeTagsForResourceCommand({
            ResourceType: 'hostedzone',
            ResourceId: hostedZoneId,
            AddTags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
    },

    async findZonesByTag(key, value) {
      const privateZones: HostedZoneInfo[] = [];
      let marker: string | undefined;
      do {
        const input = marker ? { Marker: marker } : {};
        const output = await awsCall('ListHostedZones', () => client.send(new ListHostedZonesCommand(input)));
        privateZones.push(...(output.HostedZones ?? []).map(mapZone).filter((zone) => zone.privateZone));
        marker = output.IsTruncated ? output.NextMarker : undefined;
      } while (marker);

      const tagged = new Set<string>();
      for (const batch of chunks(privateZones, TAG_BATCH)) {
        const output = await awsCall('ListTagsForResources', () =>
          client.send(
            new ListTagsForResourcesCommand({
              ResourceType: 'hostedzone',
              ResourceIds: batch.map((zone) => zone.hostedZoneId),
            }),
          ),
        );
        for (const set of output.ResourceTagSets ?? []) {
          if (set.Tags?.some((tag) => tag.Key === key && tag.Value === value)) {
            tagged.add(stripPrefix(set.ResourceId, '/hostedzone/'));
          }
        }
      }
      return privateZones.filter((zone) => tagged.has(zone.hostedZoneId));
    },

    async listRecords(hostedZoneId) {
      const records: RecordSet[] = [];
      let start: { StartRecordName?: string; StartRecordType?: RRType; StartRecordIdentifier?: string } = {};
      for (;;) {
        const input = { HostedZoneId: hostedZoneId, ...start };
        const output = await awsCall('ListResourceRecordSets', () =>
          client.send(new ListResourceRecordSetsCommand(input)),
        );
        records.push(...(output.ResourceRecordSets ?? []).map(mapRecord));
        if (!output.IsTruncated || !output.NextRecordName) return records;
        start = {
          StartRecordName: output.NextRecordName,
          StartRecordType: output.NextRecordType,
          ...(output.NextRecordIdentifier && { StartRecordIdentifier: output.NextRecordIdentifier }),
        };
      }
    },

    async changeRecords(hostedZoneId, changes, comment) {
      const output = await awsCall('ChangeResourceRecordSets', () =>
        client.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: hostedZoneId,
            ChangeBatch: { Comment: comment, Changes: changes.map(toChange) },
          }),
        ),
      );
      return stripPrefix(output.ChangeInfo?.Id, '/change/');
    },

    async changeStatus(changeId) {
      const output = await awsCall('GetChange', () => client.send(new GetChangeCommand({ Id: changeId })));
      return output.ChangeInfo?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING';
    },

    async deleteZone(hostedZoneId) {
      try {
        await awsCall('DeleteHostedZone', () => client.send(new DeleteHostedZoneCommand({ Id: hostedZoneId })));
      } catch (error) {
        if (!isAwsCode(error, 'NoSuchHostedZone')) throw error;
      }
    },
  };
}
