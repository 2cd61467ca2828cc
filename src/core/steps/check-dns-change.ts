// CheckDnsChange: GetChange for the changes not yet known to be INSYNC, in the order they were made.
// Route 53 gives no ordering guarantee between changes, so each one is seen INSYNC itself; but while
// one is still PENDING the workflow has to wait anyway, so the later ones are not asked about until
// it is INSYNC. Every change is asked once it is reached and never again after it was seen INSYNC.
import { nextDnsPollSeconds } from '../domain/polling.ts';
import { DnsChangeTimeoutError, PreconditionError } from '../errors.ts';
import type { DnsState, Route53StepPorts, WorkflowState } from './state.ts';

export async function checkDnsChange(state: WorkflowState, ports: Route53StepPorts): Promise<DnsState> {
  const { dns } = state;
  if (!dns) throw new PreconditionError('MissingState', 'no DNS change to check');
  let seenInsync = 0;
  for (const changeId of dns.changeIds) {
    if ((await ports.route53.changeStatus(changeId)) !== 'INSYNC') break;
    seenInsync++;
  }
  const pending = dns.changeIds.slice(seenInsync);
  const polls = dns.polls + 1;
  if (pending.length > 0 && ports.clock.now() > dns.deadlineAt)
    throw new DnsChangeTimeoutError(`change(s) ${pending.join(', ')} not seen INSYNC after ${polls} checks`);
  // Only what has not been seen INSYNC is asked again next time.
  return { ...dns, changeIds: pending, insync: pending.length === 0, polls, waitSeconds: nextDnsPollSeconds() };
}
