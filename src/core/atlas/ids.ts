// Checks every id before it goes into a URL: Atlas's own path patterns (SPEC L62079-62440), so a
// malformed or hostile value is refused here instead of reaching Atlas as another path.
import { PreconditionError } from '../errors.ts';

const HEX24 = /^[a-f0-9]{24}$/;
const VPCE = /^vpce-[0-9a-f]{17}$/;
/** Atlas cluster names: letters, digits and hyphens, starting with a letter or digit, at most 64. */
const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ATLAS_REGION = /^[A-Z]{2}(_[A-Z]+)+_\d{1,2}$/;

function refuse(what: string, value: string, expected: string): never {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  throw new PreconditionError('InvalidAtlasId', `${what} ${JSON.stringify(shown)} is not ${expected}`);
}

export function projectSegment(projectId: string): string {
  if (!HEX24.test(projectId)) refuse('Atlas project id', projectId, '24 lowercase hex digits');
  return encodeURIComponent(projectId);
}

export function serviceSegment(serviceId: string): string {
  if (!HEX24.test(serviceId)) refuse('Atlas endpoint service id', serviceId, '24 lowercase hex digits');
  return encodeURIComponent(serviceId);
}

export function endpointSegment(endpointId: string): string {
  if (!VPCE.test(endpointId)) refuse('interface endpoint id', endpointId, 'vpce- and 17 hex digits');
  return encodeURIComponent(endpointId);
}

export function clusterSegment(clusterName: string): string {
  if (!CLUSTER_NAME.test(clusterName)) refuse('Atlas cluster name', clusterName, 'an Atlas cluster name');
  return encodeURIComponent(clusterName);
}

/** us-east-1 → US_EAST_1, the form Atlas's regionName uses (VENDORS §1.2, TFP docs). */
export function atlasRegionName(region: string): string {
  if (ATLAS_REGION.test(region)) return region;
  if (!AWS_REGION.test(region)) refuse('AWS region', region, 'an AWS region name such as us-east-1');
  return region.toUpperCase().replaceAll('-', '_');
}

/** Checked at the boundary so nothing odd ends up in a URL either. */
export function checkedEndpointId(endpointId: string): string {
  endpointSegment(endpointId);
  return endpointId;
}
