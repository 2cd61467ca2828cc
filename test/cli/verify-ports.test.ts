// The ports plan and verify use: every method of the adapters that would change the account is refused
// before anything is sent, unless repairing; the reads pass. No call leaves the process here.
import { describe, expect, it } from 'vitest';
import { checkPorts, READS, ReadOnlyViolationError } from '../../src/core/app/verify-ports.ts';

const methods = (port: object) =>
  Object.keys(port).filter((key) => typeof (port as Record<string, unknown>)[key] === 'function');

describe('read-only ports', () => {
  const ports = checkPorts('us-east-1', true);
  const writable = checkPorts('us-east-1', true, true);

  it('names only methods the adapters have, and reads only (Describe*, List*, Get*)', () => {
    for (const [service, port] of [
      ['ec2', writable.ec2],
      ['route53', writable.route53],
      ['atlas', writable.atlas ?? {}],
    ] as const) {
      const names = methods(port);
      for (const read of READS[service]) expect(names, `${service}.${read}`).toContain(read);
      for (const read of READS[service]) expect(read).toMatch(/^(find|describe|list|get|privateIps$|changeStatus$)/);
    }
  });

  it('refuses every other method before it is sent', () => {
    const refused: string[] = [];
    for (const [service, port] of [
      ['ec2', ports.ec2],
      ['route53', ports.route53],
      ['atlas', ports.atlas ?? {}],
    ] as const) {
      for (const name of methods(port).filter((m) => !READS[service].has(m))) {
        const call = (port as unknown as Record<string, () => unknown>)[name];
        expect(() => call?.(), `${service}.${name}`).toThrow(ReadOnlyViolationError);
        refused.push(`${service}.${name}`);
      }
    }
    expect(refused).toEqual(
      expect.arrayContaining([
        'ec2.createEndpointService',
        'ec2.createInterfaceEndpoint',
        'ec2.deleteEndpoint',
        'ec2.authorizeIngress',
        'ec2.tagResources',
        'route53.createPrivateZone',
        'route53.changeRecords',
        'route53.associateVpc',
        'route53.deleteZone',
        'atlas.createEndpointService',
        'atlas.createEndpoint',
        'atlas.deleteEndpoint',
      ]),
    );
  });
});
