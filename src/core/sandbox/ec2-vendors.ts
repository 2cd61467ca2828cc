// The vendors' side of the sandbox: services other accounts own (created at run time, e.g. by the
// simulated Atlas), their deletion, and the owner's decision on a connection waiting for acceptance.
import { PRINCIPAL } from './ec2-principals.ts';
import { connectedEndpoints } from './ec2-services.ts';
import { allLiveEndpoints, type Ec2World, stateOf, zonesIn } from './ec2-state.ts';

/** A vendor's service created at run time (e.g. the one Atlas creates in its own account). */
export interface VendorServiceArgs {
  owner: string;
  region: string;
  acceptanceRequired: boolean;
  /** who may discover and connect to it; everyone by default */
  allowedPrincipals?: string[];
  /** defaults to every zone the seed's subnets use in the region */
  availabilityZones?: string[];
  tags?: Record<string, string>;
}

/** What the vendor (or the sandbox's public DNS) sees of an endpoint, whichever account owns it. */
export interface EndpointView {
  endpointId: string;
  state: string;
  serviceId?: string;
  serviceName: string;
  vpcId: string;
  ownerAccount: string;
  dnsName?: string;
  privateIpAddresses: string[];
}

/** A vendor cannot act on that endpoint (unknown, not waiting for acceptance, or not its service). */
export class VendorActionError extends Error {
  override readonly name = 'VendorActionError' as const;
}

export function addVendorService(w: Ec2World, args: VendorServiceArgs): { serviceId: string; serviceName: string } {
  if (!/^\d{12}$/.test(args.owner) || args.owner === w.ctx.accountId)
    throw new Error(`a vendor's service needs another account than the sandbox's as owner, not "${args.owner}"`);
  const region = args.region;
  const zones = args.availabilityZones ?? zonesIn(w.subnets, region);
  if (zones.length === 0 || zones.some((zone) => !zone.startsWith(region)))
    throw new Error(`a vendor's service in ${region} needs zones of ${region}, not [${zones.join(', ')}]`);
  const allowedPrincipals = args.allowedPrincipals ?? ['*'];
  const bad = allowedPrincipals.find((p) => !PRINCIPAL.test(p));
  if (bad !== undefined) throw new Error(`invalid principal "${bad}"`);
  const serviceId = w.ctx.newId('vpce-svc', 17);
  const serviceName = `com.amazonaws.vpce.${region}.${serviceId}`;
  w.state.vendorServices.push({
    serviceId,
    serviceName,
    region,
    acceptanceRequired: args.acceptanceRequired,
    owner: args.owner,
    availabilityZones: [...zones].sort(),
    allowedPrincipals: [...allowedPrincipals],
    tags: { ...args.tags },
    createdAt: w.ctx.now(),
  });
  return { serviceId, serviceName };
}

/**
 * The vendor deletes its service. AWS refuses to delete a service that still has active connections
 * (ExistingVpcEndpointConnections, as DeleteVpcEndpointServiceConfigurations answers here too), so
 * its owner rejects them first: each endpoint to it becomes `rejected` and stays so until deleted.
 */
export function removeVendorService(w: Ec2World, serviceId: string): void {
  const service = w.state.vendorServices.find((s) => s.serviceId === serviceId && s.deletedAt === undefined);
  if (!service) {
    const seeded = [...w.seedVendorServices.values()].some((s) => s.serviceId === serviceId);
    throw new VendorActionError(
      seeded
        ? `${serviceId} is a service of the seed; the sandbox removes only services created at run time`
        : `no vendor's service ${serviceId} exists`,
    );
  }
  const now = w.ctx.now();
  for (const e of connectedEndpoints(w, serviceId)) {
    const state = stateOf(w, e);
    if (state !== 'rejected' && state !== 'deleting' && state !== 'failed') e.rejectedAt = now;
  }
  service.deletedAt = now;
}

/** The service's owner accepts or rejects an endpoint waiting for acceptance, as AWS's console does. */
export function vendorDecide(
  w: Ec2World,
  endpointId: string,
  decision: 'accept' | 'reject',
  asOwner?: string,
): { endpointId: string; serviceId: string; state: string } {
  const endpoint = allLiveEndpoints(w).find((e) => e.endpointId === endpointId);
  if (!endpoint) throw new VendorActionError(`no endpoint ${endpointId} exists`);
  const all = [...w.seedVendorServices.values(), ...w.state.vendorServices];
  const service = all.find((s) => s.serviceId === endpoint.serviceId);
  if (!service) {
    const ours = w.state.services.some((s) => s.serviceId === endpoint.serviceId);
    throw new VendorActionError(
      ours
        ? `${endpointId} connects to ${endpoint.serviceId}, a service of the sandbox account ${w.ctx.accountId}, not a vendor's: the account accepts it with AcceptVpcEndpointConnections`
        : `${endpointId} connects to ${endpoint.serviceId}, which no vendor of the sandbox owns`,
    );
  }
  if (asOwner !== undefined && asOwner !== service.owner)
    throw new VendorActionError(
      `${endpointId} connects to ${service.serviceId}, owned by ${service.owner}, not by ${asOwner}`,
    );
  const state = stateOf(w, endpoint);
  if (state !== 'pendingAcceptance')
    throw new VendorActionError(`${endpointId} is ${state}, not pendingAcceptance: there is nothing to ${decision}`);
  if (decision === 'accept') endpoint.acceptedAt = w.ctx.now();
  else endpoint.rejectedAt = w.ctx.now();
  return { endpointId, serviceId: service.serviceId, state: stateOf(w, endpoint) };
}
