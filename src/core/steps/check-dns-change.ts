// CheckDnsChange: GetChange for every change not yet known to be INSYNC.
import { nextDnsPollSeconds } from '../domain/polling.ts';
import { DnsChangeTimeoutError, PreconditionError } from '../errors.ts';
import type { DnsState, Route53StepPorts, WorkflowState } from './state.ts';

export async function checkDnsChange(state: WorkflowState, ports: Route53StepPorts): Promise<DnsState> {
  const { dns } = state;
  if (!dns) throw new PreconditionError('MissingState', 'no DNS change to check');
  const pending: string[] = [];
  for (const changeId of dns.changeIds)
    if ((await ports.route53.changeStatus(changeId)) !== 'INSYNC') pending.push(changeId);
  const polls = dns.polls + 1;
  if (pending.length > 0 && ports.clock.now() > dns.deadlineAt)
    throw new DnsChangeTimeoutError(`change(s) ${pending.join(', ')} still PENDING after ${polls} checks`);
  // Only what is still pending is asked again next time.
  return { ...dns, changeIds: pending, insync: pending.length === 0, polls, waitSeconds: nextDnsPollSeconds() };
}
