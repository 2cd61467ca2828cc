// The sandbox's Route 53: hosted zones, VPC associations, tags, record sets and changes, answering with the
// SDK v3 output shapes and error codes, under Route 53's five-requests-per-second account limit.
import type {
  AssociateVPCWithHostedZoneRequest,
  ChangeInfo,
  ChangeResourceRecordSetsRequest,
  ChangeTagsForResourceRequest,
  CreateHostedZoneRequest,
  DeleteHostedZoneRequest,
  DisassociateVPCFromHostedZoneRequest,
  GetChangeRequest,
  GetHostedZoneRequest,
  HostedZone,
  ListHostedZonesByNameRequest,
  ListHostedZonesRequest,
  ListResourceRecordSetsRequest,
  ListTagsForResourceRequest,
  ListTagsForResourcesRequest,
  ResourceTagSet,
} from '@aws-sdk/client-route-53';
import type { SimContext } from './context.ts';
import { fail, invalidInput, maxItems } from './route53-errors.ts';
import { bareName, isPlainName, normalizeName, sortKey, stripIdPrefix } from './route53-names.ts';
import { applyChanges, pageRecordSets, sortRecordSets, toResourceRecordSet } from './route53-records.ts';
import {
  checkVpc,
  PRIVATE_NAME_SERVERS,
  publicNameServers,
  type StoredVpc,
  type StoredZone,
  sameVpc,
} from './route53-zones.ts';

export type { StoredZone } from './route53-zones.ts';

export interface Route53State {
  /** by zone id, without prefix */
  zones: Record<string, StoredZone>;
  /** every CallerReference ever used: Route 53 refuses one a second time, even after the zone is deleted */
  usedCallerReferences?: string[];
  /** by change id, without prefix; submittedAt in simulated epoch ms */
  changes: Record<string, { submittedAt: number; comment?: string }>;
  /** the account's token bucket, in thousandths of a request so the arithmetic stays exact */
  rate: { milliTokens: number; at: number };
}

export interface ZoneInventory {
  hostedZoneId: string;
  name: string;
  /** a private zone answers only inside the VPCs associated with it */
  privateZone: boolean;
  vpcs: { vpcId: string; region: string }[];
  records: { name: string; type: string; values: string[]; alias?: true }[];
}

const BUCKET_MILLI_TOKENS = 5000;
/** 5 requests per second = 5 milli-tokens per millisecond */
const REFILL_PER_MS = 5;
const PRIOR_REQUEST_WINDOW_MS = 200;
export function emptyRoute53State(): Route53State {
  return { zones: {}, changes: {}, rate: { milliTokens: BUCKET_MILLI_TOKENS, at: 0 } };
}

export class Route53Sim {
  private readonly handlers: Record<string, (input: never) => unknown> = {
    CreateHostedZone: (i: CreateHostedZoneRequest) => this.createHostedZone(i),
    GetHostedZone: (i: GetHostedZoneRequest) => this.getHostedZone(i),
    ListHostedZones: (i: ListHostedZonesRequest) => this.listHostedZones(i),
    ListHostedZonesByName: (i: ListHostedZonesByNameRequest) => this.listHostedZonesByName(i),
    AssociateVPCWithHostedZone: (i: AssociateVPCWithHostedZoneRequest) => this.associateVpc(i),
    DisassociateVPCFromHostedZone: (i: DisassociateVPCFromHostedZoneRequest) => this.disassociateVpc(i),
    ChangeTagsForResource: (i: ChangeTagsForResourceRequest) => this.changeTags(i),
    ListTagsForResource: (i: ListTagsForResourceRequest) => ({
      ResourceTagSet: this.tagSet(this.taggedZone(i.ResourceType, i.ResourceId)),
    }),
    ListTagsForResources: (i: ListTagsForResourcesRequest) => this.listTagsForResources(i),
    ListResourceRecordSets: (i: ListResourceRecordSetsRequest) => this.listResourceRecordSets(i),
    ChangeResourceRecordSets: (i: ChangeResourceRecordSetsRequest) => this.changeResourceRecordSets(i),
    GetChange: (i: GetChangeRequest) => this.getChange(i),
    DeleteHostedZone: (i: DeleteHostedZoneRequest) => this.deleteHostedZone(i),
  };

  constructor(
    private readonly ctx: SimContext,
    private readonly state: Route53State,
  ) {}

  handle(operation: string, input: unknown): unknown {
    const handler = Object.hasOwn(this.handlers, operation) ? this.handlers[operation] : undefined;
    if (!handler) throw fail('UnsupportedOperation', `The sandbox does not simulate Route 53 ${operation}`);
    this.takeToken();
    return handler((input ?? {}) as never);
  }

  inventory(): ZoneInventory[] {
    return this.zonesInOrder().map((zone) => ({
      hostedZoneId: zone.id,
      name: bareName(zone.name),
      privateZone: zone.privateZone,
      vpcs: zone.vpcs.map((v) => ({ vpcId: v.VPCId, region: v.VPCRegion })),
      records: sortRecordSets(zone.recordSets).map((s) => ({
        name: bareName(s.name),
        type: s.type,
        values: s.alias ? [bareName(s.alias.dnsName)] : [...(s.values ?? [])],
        ...(s.alias && { alias: true as const }),
      })),
    }));
  }

  /** Route 53's documented account limit: five requests per second, refilled continuously. */
  private takeToken(): void {
    const now = this.ctx.now();
    const rate = this.state.rate;
    const elapsed = Math.max(0, now - rate.at);
    rate.milliTokens = Math.min(BUCKET_MILLI_TOKENS, rate.milliTokens + elapsed * REFILL_PER_MS);
    rate.at = Math.max(rate.at, now);
    if (rate.milliTokens < 1000) throw fail('Throttling', 'Rate exceeded');
    rate.milliTokens -= 1000;
  }

  private zone(rawId: string | undefined): StoredZone {
    const id = stripIdPrefix(rawId ?? '');
    const zone = Object.hasOwn(this.state.zones, id) ? this.state.zones[id] : undefined;
    if (!zone) throw fail('NoSuchHostedZone', `No hosted zone found with ID: ${id}`);
    return zone;
  }

  /** Zones in ListHostedZonesByName order: reversed-label name, then id. */
  private zonesInOrder(): StoredZone[] {
    return Object.values(this.state.zones).sort((a, b) => {
      const ka = sortKey(a.name);
      const kb = sortKey(b.name);
      return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  }

  private newChange(comment?: string): ChangeInfo {
    const id = `C${this.ctx.newId('change', 20).split('-').pop()?.toUpperCase()}`;
    this.state.changes[id] = { submittedAt: this.ctx.now(), ...(comment !== undefined && { comment }) };
    return this.changeInfo(id);
  }

  private changeInfo(id: string): ChangeInfo {
    const change = Object.hasOwn(this.state.changes, id) ? this.state.changes[id] : undefined;
    if (!change) throw fail('NoSuchChange', `A change with the specified change ID does not exist: ${id}`);
    const insyncAt = change.submittedAt + this.ctx.timing.dnsChangeInsyncAfterSeconds * 1000;
    return {
      Id: `/change/${id}`,
      Status: this.ctx.now() >= insyncAt ? 'INSYNC' : 'PENDING',
      SubmittedAt: new Date(change.submittedAt),
      ...(change.comment !== undefined && { Comment: change.comment }),
    };
  }

  private hostedZone(zone: StoredZone): HostedZone {
    return {
      Id: `/hostedzone/${zone.id}`,
      Name: zone.name,
      CallerReference: zone.callerReference,
      Config: { ...(zone.comment !== undefined && { Comment: zone.comment }), PrivateZone: zone.privateZone },
      ResourceRecordSetCount: zone.recordSets.length,
    };
  }

  private delegation(zone: StoredZone): { DelegationSet: { NameServers: string[] } } | { VPCs: StoredVpc[] } {
    if (zone.privateZone) return { VPCs: zone.vpcs.map((v) => ({ ...v })) };
    const ns = zone.recordSets.find((s) => s.name === zone.name && s.type === 'NS');
    return { DelegationSet: { NameServers: (ns?.values ?? []).map(bareName) } };
  }

  private createHostedZone(input: CreateHostedZoneRequest): unknown {
    if (!input.Name || !input.CallerReference) throw invalidInput('Name and CallerReference are required.');
    const name = normalizeName(input.Name);
    if (name === undefined || !isPlainName(name)) throw fail('InvalidDomainName', `Invalid domain name: ${input.Name}`);
    if (input.HostedZoneConfig?.PrivateZone === true && !input.VPC) {
      throw invalidInput('When you create a private hosted zone, you must specify a VPC.');
    }
    const vpc = input.VPC ? checkVpc(input.VPC) : undefined;
    const zones = Object.values(this.state.zones);
    this.state.usedCallerReferences ??= [];
    const used = this.state.usedCallerReferences;
    if (used.includes(input.CallerReference) || zones.some((z) => z.callerReference === input.CallerReference)) {
      throw fail(
        'HostedZoneAlreadyExists',
        'A hosted zone has already been created with the specified caller reference.',
      );
    }
    const holder = vpc && zones.find((z) => z.privateZone && z.name === name && z.vpcs.some((v) => sameVpc(v, vpc)));
    if (vpc && holder) {
      throw fail(
        'ConflictingDomainExists',
        `The VPC ${vpc.VPCId} in region ${vpc.VPCRegion} has already been associated with the hosted zone ${holder.id} with the same domain name.`,
      );
    }

    const id = `Z${this.ctx.newId('hostedzone', 20).split('-').pop()?.toUpperCase()}`;
    const nameServers = vpc ? PRIVATE_NAME_SERVERS : publicNameServers(id);
    const soa = `${nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`;
    const zone: StoredZone = {
      id,
      name,
      callerReference: input.CallerReference,
      ...(input.HostedZoneConfig?.Comment !== undefined && { comment: input.HostedZoneConfig.Comment }),
      privateZone: vpc !== undefined,
      vpcs: vpc ? [vpc] : [],
      recordSets: [
        { name, type: 'NS', ttl: 172800, values: [...nameServers] },
        { name, type: 'SOA', ttl: 900, values: [soa] },
      ],
      tags: [],
    };
    this.state.zones[id] = zone;
    used.push(input.CallerReference);
    return {
      HostedZone: this.hostedZone(zone),
      ChangeInfo: this.newChange(),
      ...(vpc ? { VPC: { ...vpc } } : this.delegation(zone)),
      Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${id}`,
    };
  }

  private getHostedZone(input: GetHostedZoneRequest): unknown {
    const zone = this.zone(input.Id);
    return { HostedZone: this.hostedZone(zone), ...this.delegation(zone) };
  }

  private listHostedZones(input: ListHostedZonesRequest): unknown {
    const max = maxItems(input.MaxItems, 100);
    const marker = input.Marker === undefined ? undefined : stripIdPrefix(input.Marker);
    const zones = Object.values(this.state.zones)
      .filter((z) => input.HostedZoneType !== 'PrivateHostedZone' || z.privateZone)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .filter((z) => marker === undefined || z.id >= marker);
    const next = zones[max];
    return {
      HostedZones: zones.slice(0, max).map((z) => this.hostedZone(z)),
      ...(input.Marker !== undefined && { Marker: input.Marker }),
      IsTruncated: next !== undefined,
      ...(next && { NextMarker: next.id }),
      MaxItems: max,
    };
  }

  private listHostedZonesByName(input: ListHostedZonesByNameRequest): unknown {
    if (input.HostedZoneId && !input.DNSName) {
      throw invalidInput('If you specify HostedZoneId, you must also specify DNSName.');
    }
    const max = maxItems(input.MaxItems, 100);
    const startName = input.DNSName ? normalizeName(input.DNSName) : undefined;
    if (input.DNSName && startName === undefined)
      throw fail('InvalidDomainName', `Invalid domain name: ${input.DNSName}`);
    const startId = input.HostedZoneId ? stripIdPrefix(input.HostedZoneId) : undefined;
    const zones = this.zonesInOrder();
    const from =
      startName === undefined
        ? 0
        : zones.findIndex(
            (z) =>
              sortKey(z.name) > sortKey(startName) ||
              (z.name === startName && (startId === undefined || z.id >= startId)),
          );
    const start = from === -1 ? zones.length : from;
    const next = zones[start + max];
    return {
      HostedZones: zones.slice(start, start + max).map((z) => this.hostedZone(z)),
      ...(input.DNSName !== undefined && { DNSName: input.DNSName }),
      ...(input.HostedZoneId !== undefined && { HostedZoneId: input.HostedZoneId }),
      IsTruncated: next !== undefined,
      ...(next && { NextDNSName: next.name, NextHostedZoneId: next.id }),
      MaxItems: max,
    };
  }

  private associateVpc(input: AssociateVPCWithHostedZoneRequest): unknown {
    const zone = this.zone(input.HostedZoneId);
    const vpc = checkVpc(input.VPC);
    if (!zone.privateZone) {
      throw fail('PublicZoneVPCAssociation', `Attempting to associate public zone: ${zone.id} with vpc: ${vpc.VPCId}`);
    }
    const holder = Object.values(this.state.zones).find(
      (z) => z.privateZone && z.name === zone.name && z.vpcs.some((v) => sameVpc(v, vpc)),
    );
    if (holder) {
      throw fail(
        'ConflictingDomainExists',
        `The VPC ${vpc.VPCId} in region ${vpc.VPCRegion} has already been associated with the hosted zone ${holder.id} with the same domain name.`,
      );
    }
    zone.vpcs.push(vpc);
    return { ChangeInfo: this.newChange(input.Comment) };
  }

  private disassociateVpc(input: DisassociateVPCFromHostedZoneRequest): unknown {
    const zone = this.zone(input.HostedZoneId);
    const vpc = checkVpc(input.VPC);
    const index = zone.vpcs.findIndex((v) => sameVpc(v, vpc));
    if (index === -1) {
      throw fail(
        'VPCAssociationNotFound',
        `The specified VPC ${vpc.VPCId} and hosted zone are not currently associated.`,
      );
    }
    if (zone.vpcs.length === 1) {
      throw fail(
        'LastVPCAssociation',
        'The VPC that you are trying to disassociate from the private hosted zone is the last VPC that is associated with the hosted zone. Amazon Route 53 does not support disassociating the last VPC from a hosted zone.',
      );
    }
    zone.vpcs.splice(index, 1);
    return { ChangeInfo: this.newChange(input.Comment) };
  }

  private taggedZone(type: string | undefined, id: string | undefined): StoredZone {
    if (type === 'healthcheck') throw fail('NoSuchHealthCheck', `A health check with id ${id ?? ''} does not exist.`);
    if (type !== 'hostedzone') {
      throw invalidInput(
        `1 validation error detected: Value '${type ?? 'null'}' at 'resourceType' failed to satisfy constraint: ` +
          'Member must satisfy enum value set: [healthcheck, hostedzone]',
      );
    }
    return this.zone(id);
  }

  private tagSet(zone: StoredZone): ResourceTagSet {
    return {
      ResourceType: 'hostedzone',
      ResourceId: zone.id,
      Tags: zone.tags.map((t) => ({ ...t })),
    };
  }

  private changeTags(input: ChangeTagsForResourceRequest): unknown {
    const zone = this.taggedZone(input.ResourceType, input.ResourceId);
    const add = input.AddTags ?? [];
    const remove = input.RemoveTagKeys ?? [];
    if (add.length > 10 || remove.length > 10) {
      throw invalidInput('AddTags and RemoveTagKeys may each hold at most 10 items.');
    }
    if (add.some((t) => !t.Key)) throw invalidInput('Every tag in AddTags needs a Key.');
    const added = add.map((t) => ({ Key: t.Key as string, Value: t.Value ?? '' }));
    const replaced = new Set([...remove, ...added.map((t) => t.Key)]);
    zone.tags = [...zone.tags.filter((t) => !replaced.has(t.Key)), ...added];
    return {};
  }

  private listTagsForResources(input: ListTagsForResourcesRequest): unknown {
    const ids = input.ResourceIds ?? [];
    if (ids.length < 1 || ids.length > 10) throw invalidInput('ResourceIds must hold between 1 and 10 ids.');
    return { ResourceTagSets: ids.map((id) => this.tagSet(this.taggedZone(input.ResourceType, id))) };
  }

  private listResourceRecordSets(input: ListResourceRecordSetsRequest): unknown {
    const zone = this.zone(input.HostedZoneId);
    if (input.StartRecordType && !input.StartRecordName) {
      throw invalidInput('If you specify StartRecordType, you must also specify StartRecordName.');
    }
    const startName = input.StartRecordName === undefined ? undefined : normalizeName(input.StartRecordName);
    if (input.StartRecordName !== undefined && startName === undefined) {
      throw invalidInput(`Invalid StartRecordName: ${input.StartRecordName}`);
    }
    const max = maxItems(input.MaxItems, 300);
    const { page, next } = pageRecordSets(zone.recordSets, startName, input.StartRecordType, max);
    return {
      ResourceRecordSets: page.map(toResourceRecordSet),
      IsTruncated: next !== undefined,
      ...(next && { NextRecordName: next.name, NextRecordType: next.type }),
      MaxItems: max,
    };
  }

  private changeResourceRecordSets(input: ChangeResourceRecordSetsRequest): unknown {
    const zone = this.zone(input.HostedZoneId);
    const now = this.ctx.now();
    if (zone.lastChangeAt !== undefined && now - zone.lastChangeAt < PRIOR_REQUEST_WINDOW_MS) {
      throw fail(
        'PriorRequestNotComplete',
        'The request was rejected because Route 53 was still processing a prior request.',
      );
    }
    if (!Array.isArray(input.ChangeBatch?.Changes)) throw invalidInput('ChangeBatch.Changes is required.');
    zone.recordSets = applyChanges(zone.name, zone.recordSets, input.ChangeBatch.Changes);
    zone.lastChangeAt = now;
    return { ChangeInfo: this.newChange(input.ChangeBatch.Comment) };
  }

  private getChange(input: GetChangeRequest): unknown {
    return { ChangeInfo: this.changeInfo(stripIdPrefix(input.Id ?? '')) };
  }

  private deleteHostedZone(input: DeleteHostedZoneRequest): unknown {
    const zone = this.zone(input.Id);
    if (zone.recordSets.some((s) => s.name !== zone.name || (s.type !== 'SOA' && s.type !== 'NS'))) {
      throw fail(
        'HostedZoneNotEmpty',
        'The specified hosted zone contains non-required resource record sets and so cannot be deleted.',
      );
    }
    delete this.state.zones[zone.id];
    return { ChangeInfo: this.newChange() };
  }
}
