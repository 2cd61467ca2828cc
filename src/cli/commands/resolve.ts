// `privatelink resolve NAME [--type A|SRV|TXT|CNAME] [--vpc VPC]`: what NAME resolves to from inside
// the VPC, like dig: the sandbox's private zones associated with the VPC first, then the public names
// the sandbox publishes (Atlas's records, endpoints' DNS names). Sandbox only; read-only.
import type { Environment } from '../../core/app/environment.ts';
import { type CliArgs, UsageError } from '../args.ts';
import { answered, type RecordView, type Resolution, resolveName, type ZoneView } from '../resolve-names.ts';
import { EXIT, type Io } from './io.ts';

type Sandbox = NonNullable<Environment['sandbox']>;

interface InventoryZone {
  hostedZoneId: string;
  name: string;
  records: { name: string; type: string; values: string[] }[];
  privateZone?: boolean;
  vpcs?: { vpcId?: string; VPCId?: string }[];
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]*)$/i;

function recordViews(records: InventoryZone['records']): RecordView[] {
  // The inventory lists an alias as an A (or AAAA) record whose value is its target's DNS name.
  return records.map((r) => ({
    ...r,
    ...((r.type === 'A' || r.type === 'AAAA') &&
      r.values.length > 0 &&
      !r.values.every((v) => IP.test(v)) && { alias: true }),
  }));
}

const vpcIdsOf = (zone: InventoryZone) => (zone.vpcs ?? []).map((v) => v.vpcId ?? v.VPCId ?? '').filter(Boolean);

/** The private zones the VPC sees, and which VPC that is (from --vpc, or the only one the zones serve). */
function privateView(
  zones: InventoryZone[],
  vpc: string | undefined,
): { vpcId?: string; zones: ZoneView[]; note?: string } {
  const knowsAssociations = zones.every((z) => z.privateZone !== undefined);
  if (!knowsAssociations)
    return {
      ...(vpc && { vpcId: vpc }),
      zones: zones.map((z) => ({ ...z, records: recordViews(z.records) })),
      note: 'the sandbox does not report which VPCs its zones serve: every zone is taken as private to this VPC',
    };
  const privates = zones.filter((z) => z.privateZone);
  const vpcs = [...new Set(privates.flatMap(vpcIdsOf))].sort();
  let vpcId = vpc;
  if (!vpcId && vpcs.length > 1)
    throw new UsageError(`name the VPC to resolve from: --vpc ${vpcs.join(' or --vpc ')}`, 'MissingOption', 'resolve');
  vpcId ??= vpcs[0];
  const seen = privates.filter((z) => vpcId !== undefined && vpcIdsOf(z).includes(vpcId));
  return { ...(vpcId && { vpcId }), zones: seen.map((z) => ({ ...z, records: recordViews(z.records) })) };
}

function publicRecords(sandbox: Sandbox): RecordView[] {
  return recordViews(sandbox.publicDns());
}

export function renderResolution(resolution: Resolution, vpcId: string | undefined, privateZones: number): string[] {
  const from = vpcId
    ? `from ${vpcId}`
    : privateZones > 0
      ? 'from the VPC'
      : 'from a VPC no private zone serves (public DNS only)';
  const lines = [`; ${resolution.name} ${resolution.type} ${from}`, `;; status: ${resolution.status}`];
  const width = Math.max(0, ...resolution.answers.map((a) => a.name.length));
  for (const a of resolution.answers)
    for (const value of a.values) lines.push(`${a.name.padEnd(width)}  ${a.type.padEnd(5)}  ${value}    ; ${a.source}`);
  if (resolution.note) lines.push(`;; ${resolution.note}`);
  return lines;
}

export function resolve(args: CliArgs, env: Environment, io: Io): number {
  if (!env.sandbox) throw new UsageError('resolve works on the sandbox only, not with --aws', 'SandboxOnly', 'resolve');
  const name = args.positionals[0] ?? '';
  if (!/^[A-Za-z0-9_*.-]{1,253}$/.test(name))
    throw new UsageError(`resolve needs a DNS name, not '${name}'`, 'InvalidOption', 'resolve');
  const inventory = env.sandbox.inventory() as { hostedZones: InventoryZone[] };
  const view = privateView(inventory.hostedZones, args.vpc);
  if (view.note) io.err(`privatelink: ${view.note}`);
  const resolution = resolveName(name, args.type ?? 'A', view.zones, publicRecords(env.sandbox));
  if (args.json) io.out(JSON.stringify({ ...resolution, ...(view.vpcId && { vpcId: view.vpcId }) }, null, 2));
  else io.out(renderResolution(resolution, view.vpcId, view.zones.length).join('\n'));
  return answered(resolution) ? EXIT.ok : EXIT.failed;
}
