// `privatelink sandbox inventory`: every resource in the sandbox account. Read-only.
import type { Environment } from '../../core/app/environment.ts';
import type { CliArgs } from '../args.ts';
import { UsageError } from '../args.ts';
import { EXIT, type Io } from './io.ts';

export function inventory(args: CliArgs, env: Environment, io: Io): number {
  if (!env.sandbox) throw new UsageError('sandbox inventory needs the sandbox (not --aws)', 'SandboxOnly');
  const inv = env.sandbox.inventory();
  if (args.json) {
    io.out(JSON.stringify(inv, null, 2));
    return EXIT.ok;
  }
  for (const s of inv.endpointServices) io.out(`service   ${s.serviceId} ${s.state} ${s.serviceName}`);
  for (const e of inv.endpoints) io.out(`endpoint  ${e.endpointId} ${e.state}`);
  for (const z of inv.hostedZones) {
    io.out(`zone      ${z.name} (${z.hostedZoneId})`);
    for (const r of z.records) io.out(`            ${r.type.padEnd(5)} ${r.name} ${r.values.join(' | ')}`);
  }
  const atlas = inv.atlas;
  for (const s of atlas?.endpointServices ?? [])
    io.out(`atlas     service ${s.id} ${s.status} ${s.endpointServiceName ?? '(no AWS service yet)'}`);
  for (const e of atlas?.endpoints ?? []) io.out(`atlas     endpoint ${e.interfaceEndpointId} ${e.connectionStatus}`);
  for (const r of atlas?.dnsRecords ?? []) io.out(`atlas dns ${r.type.padEnd(5)} ${r.name} ${r.values.join(' | ')}`);
  if (
    inv.endpoints.length + inv.endpointServices.length + inv.hostedZones.length === 0 &&
    !atlas?.endpointServices.length
  )
    io.out('(empty)');
  return EXIT.ok;
}
