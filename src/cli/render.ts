// The result for people (the --json form is the result itself), and failures told as sentences.
import type { Action, ProvisionResult, VendorView } from '../core/domain/result.ts';

const WHO: Record<Action['who'], string> = {
  vendor: "waiting on the service's owner (vendor)",
  consumer: 'waiting on the other party (consumer)',
};

/** One action: who must act and what to do, and the exact command on a line of its own (to copy). */
export function renderAction(action: Action, indent = '  '): string[] {
  const lines = [`${indent}${WHO[action.who] ?? action.who}: ${action.what}`];
  if (action.command) lines.push(`${indent}  ${action.command}`);
  return lines;
}

export function renderVendor(vendor: VendorView): string {
  const connection = vendor.connectionStatus ? `, our endpoint ${vendor.connectionStatus}` : '';
  return `  vendor     ${vendor.name} endpoint service ${vendor.endpointServiceId} ${vendor.status}${connection}`;
}

/** The failure sentence for the codes whose AWS wording leaves a newcomer guessing. */
export function explainFailure(code: string, message: string): string {
  const hint = hintFor(code, message);
  return hint ? `${message}\n${hint}` : message;
}

function hintFor(code: string, message: string): string | undefined {
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(message))
    return (
      'No AWS credentials were found (environment variables, ~/.aws/config and credentials, SSO, container ' +
      'or instance role): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and run again. ' +
      'Without credentials AWS refused every call, so this run created nothing.'
    );
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|socket hang up/.test(`${code} ${message}`)) {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    return endpoint
      ? `AWS could not be reached at AWS_ENDPOINT_URL=${endpoint}: is the emulator running there? The call that failed made nothing.`
      : 'AWS could not be reached (network, proxy or DNS): check the connection and run again. The call that failed made nothing.';
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || code === 'RequestExpired')
    return 'The AWS session has expired: log in again (e.g. aws sso login) and run again.';
  if (code === 'UnrecognizedClientException' || code === 'InvalidClientTokenId' || code === 'AuthFailure')
    return 'AWS does not know these credentials: check AWS_PROFILE or the access key.';
  return undefined;
}

export function renderResult(result: ProvisionResult): string {
  const lines = [`${result.status} ${result.requestId}${result.currentStep ? ` (at ${result.currentStep})` : ''}`];
  if (result.interrupted)
    lines.push('  interrupted: the process running it stopped; provision the same request again to carry on');
  for (const action of result.actions ?? []) lines.push(...renderAction(action));
  if (result.error) {
    lines.push(`  failed at  ${result.error.step}: ${result.error.code}`);
    for (const line of explainFailure(result.error.code, result.error.message).split('\n'))
      lines.push(`             ${line}`);
  }
  if (result.vendor) lines.push(renderVendor(result.vendor));
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
  const shown = Object.entries(strings).filter(([, v]) => typeof v === 'string' && v);
  if (shown.length > 0) lines.push('');
  for (const [name, value] of shown) lines.push(`  ${name.padEnd(10)} ${value}`);
  if (result.stats)
    lines.push(
      '',
      `  ${result.stats.simulatedSeconds}s simulated, ${result.stats.stateTransitions} state transitions, ` +
        `${Object.values(result.stats.awsCalls).reduce((a, b) => a + b, 0)} AWS calls`,
    );
  return lines.join('\n');
}

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

/** A field error as a sentence: "`target` is required", "`consumer.vpcId` must be …". */
export function issueSentence(issue: { path: string; message: string }): string {
  const field = issue.path ? `\`${issue.path}\`` : 'the request';
  const typed = /^Invalid input: expected (\w+), received (\w+)$/.exec(issue.message);
  if (typed?.[1] && typed[2])
    return typed[2] === 'undefined'
      ? `${field} is required`
      : `${field} must be ${article(typed[1])}, not ${typed[2] === 'null' ? 'null' : article(typed[2])}`;
  if (/^(must|is|are|has|have|needs|cannot|should|may|key) /.test(issue.message)) return `${field} ${issue.message}`;
  return `${field}: ${issue.message}`;
}
