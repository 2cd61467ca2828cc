// A terminal fault at every undo operation: the FAILED result still names the step and code that failed
// first, lists what was undone and what remains by id, and both lists agree with the account as it is;
// a teardown then removes what remains.
import { afterAll, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { type SandboxDir, sandboxDir } from '../support/cli.ts';
import { EMPTY_INVENTORY } from '../support/empty-inventory.ts';

// Every operation only the undo calls, for our own NLB service with ingress and a private zone; the
// provisioning fails at its last step (Finalize tags the endpoint ready), with everything in place.
const UNDO_OPERATIONS = [
  'DeleteHostedZone',
  'DeleteVpcEndpoints',
  'RevokeSecurityGroupIngress',
  'DeleteVpcEndpointServiceConfigurations',
];

type Inventory = Awaited<ReturnType<SandboxDir['inventory']>>;

/** Every id the account still holds: endpoints, services, zones (rules are found through the result's text). */
function idsIn(inventory: Inventory): string[] {
  return [
    ...inventory.endpoints.map((e) => e.endpointId),
    ...inventory.endpointServices.map((s) => s.serviceId),
    ...inventory.hostedZones.map((z) => z.hostedZoneId),
  ];
}

const ID = /\b(vpce-svc-[0-9a-f]{17}|vpce-[0-9a-f]{17}|Z[A-Z0-9]{10,})\b/g;
const idsOf = (lines: string[]) => lines.flatMap((line) => line.match(ID) ?? []);

const held: SandboxDir[] = [];
afterAll(async () => {
  for (const sandbox of held) await sandbox.cleanup();
});

let counted = 0;
describe('a terminal fault in the undo', () => {
  it.each(UNDO_OPERATIONS)(
    '%s: FAILED with the first error, and the lists of undone and remaining match the account',
    async (operation) => {
      const sandbox = await sandboxDir();
      held.push(sandbox);
      const run = await sandbox.provision('orders-nlb-tcp.json', [
        '--fault',
        'CreateTags:UnauthorizedOperation',
        '--fault',
        `${operation}:AccessDenied`,
      ]);
      const result = run.result as ProvisionResult;
      expect(run.code, run.stderr).toBe(1);
      expect(result.status).toBe('FAILED');
      // the original failure stays the headline, never a dump of the workflow state
      expect(result.error).toMatchObject({ code: 'UnauthorizedOperation', step: 'Finalize' });
      expect(JSON.stringify(result).length).toBeLessThan(3000);
      const remaining = result.remaining ?? [];
      expect(
        remaining.some((line) => line.includes('AccessDenied')),
        remaining.join('\n'),
      ).toBe(true);

      const inventory = await sandbox.inventory();
      const present = new Set(idsIn(inventory));
      // what the result says remains is there; what it says was undone (endpoints, services, zones) is gone
      for (const id of idsOf(remaining.filter((line) => !line.startsWith('ingress'))))
        expect(present, id).toContain(id);
      for (const id of idsOf((result.undone ?? []).filter((line) => !line.startsWith('revoked'))))
        expect(present.has(id), `${id} was reported undone`).toBe(false);

      const teardown = await sandbox.cli(['teardown', '--request-id', 'orders-db-app', '--json']);
      expect(teardown.code, teardown.stderr).toBe(0);
      expect(await sandbox.inventory()).toEqual(EMPTY_INVENTORY);
      counted += 1;
    },
  );

  it('held for every undo operation', () => {
    console.log(`undo faults: ${counted}/${UNDO_OPERATIONS.length}`);
    expect(counted).toBe(UNDO_OPERATIONS.length);
  });
});
