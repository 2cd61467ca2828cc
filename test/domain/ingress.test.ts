// Ingress rules for the target ports: as few as possible, each port covered exactly once.
import { describe, expect, it } from 'vitest';
import { portRanges } from '../../src/core/domain/ingress.ts';

describe('portRanges', () => {
  it.each([
    ['one node per port (Atlas)', [1024, 1025, 1026], [{ fromPort: 1024, toPort: 1026 }]],
    ['a single port', [443], [{ fromPort: 443, toPort: 443 }]],
    ['unsorted with repeats', [1026, 1024, 1025, 1024], [{ fromPort: 1024, toPort: 1026 }]],
    [
      'gaps',
      [8080, 443, 444, 80],
      [
        { fromPort: 80, toPort: 80 },
        { fromPort: 443, toPort: 444 },
        { fromPort: 8080, toPort: 8080 },
      ],
    ],
    [
      'numeric, not string, order',
      [10, 9, 100],
      [
        { fromPort: 9, toPort: 10 },
        { fromPort: 100, toPort: 100 },
      ],
    ],
    [
      'the ends of the port range',
      [65535, 1, 2],
      [
        { fromPort: 1, toPort: 2 },
        { fromPort: 65535, toPort: 65535 },
      ],
    ],
    ['nothing', [], []],
  ])('%s', (_, ports, expected) => {
    expect(portRanges(ports)).toEqual(expected);
  });

  it('does not change its input', () => {
    const ports = [1026, 1024, 1025];
    portRanges(ports);
    expect(ports).toEqual([1026, 1024, 1025]);
  });
});
