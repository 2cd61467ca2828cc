// Security group ingress for the target ports: as few rules as possible, one per contiguous range.

export interface PortRange {
  fromPort: number;
  toPort: number;
}

/** Sorted, deduplicated, contiguous ports merged: [1026, 1024, 1025] → [{ 1024-1026 }]. */
export function portRanges(ports: number[]): PortRange[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const ranges: PortRange[] = [];
  for (const port of sorted) {
    const last = ranges.at(-1);
    if (last && port === last.toPort + 1) last.toPort = port;
    else ranges.push({ fromPort: port, toPort: port });
  }
  return ranges;
}
