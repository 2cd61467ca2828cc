// The result for people (the --json form is the result itself).
import type { ProvisionResult } from '../core/domain/result.ts';

export function renderResult(result: ProvisionResult): string {
  const lines = [`${result.status} ${result.requestId}${result.currentStep ? ` (at ${result.currentStep})` : ''}`];
  if (result.error)
    lines.push(`  failed at  ${result.error.step}: ${result.error.code}`, `             ${result.error.message}`);
  if (result.service)
    lines.push(`  service    ${result.service.serviceId} ${result.service.created ? '(created)' : '(existing)'}`);
  if (result.endpoint)
    lines.push(
      `  endpoint   ${result.endpoint.endpointId} ${result.endpoint.state} ${result.endpoint.privateIpAddresses.join(' ')}`,
      `             ${result.endpoint.dnsName}`,
    );
  for (const zone of result.dns?.zones ?? []) lines.push(`  zone       ${zone.name} (${zone.hostedZoneId})`);
  for (const r of result.dns?.records ?? [])
    lines.push(
      `  record     ${r.type} ${r.name} ${r.aliasTarget ? `ALIAS ${r.aliasTarget.dnsName}` : r.values.join(' | ')}`,
    );
  for (const item of result.undone ?? []) lines.push(`  undone     ${item}`);
  for (const item of result.kept ?? []) lines.push(`  kept       ${item}`);
  const strings = result.connectionStrings ?? {};
  if (strings.standard) lines.push('', `  standard   ${strings.standard}`);
  if (strings.srv) lines.push(`  srv        ${strings.srv}`);
  if (strings.url) lines.push('', `  url        ${strings.url}`);
  if (result.stats)
    lines.push(
      '',
      `  ${result.stats.simulatedSeconds}s simulated, ${result.stats.stateTransitions} state transitions, ` +
        `${Object.values(result.stats.awsCalls).reduce((a, b) => a + b, 0)} AWS calls`,
    );
  return lines.join('\n');
}
