// A layered drawing of a state machine (a small Sugiyama layout): states in rows from StartAt down,
// loops turned around so every edge points down while layering, long edges through dummy points so
// they bend around the states, rows ordered by their neighbours' average position to keep crossings
// few; the many catches into one state (Compensate) are marked on each box rather than drawn. Pure: the
// ASL in, boxes and polylines out (graph-svg.ts draws them).

export interface AslLike {
  StartAt: string;
  States: Record<string, Record<string, unknown> & { Type: string }>;
}

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface LaidOutNode {
  name: string;
  type: string;
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** where its Catch leads when that is a state many catch into (Compensate): marked on the box, not drawn as a line */
  onError?: string;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** an edge back up the drawing (a polling or undo loop) */
  back: boolean;
  /** from the source's border to the target's, in drawing order */
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

export const NODE_HEIGHT = 26;
const ROW_GAP = 24;
const COLUMN_GAP = 18;
const DUMMY_WIDTH = 8;
const MARGIN = 12;
/** An average glyph of the 11 px sans-serif the page draws names in (no font metrics server-side). */
const CHAR_WIDTH = 6.4;
const SWEEPS = 8;
/** A state at least this many others catch into is drawn as a hub: no line from each of them. */
const HUB_CATCHES = 3;

export function nodeWidth(name: string): number {
  return Math.round(name.length * CHAR_WIDTH + 20);
}

/** Every transition of a state, in the order the definition gives them. */
export function transitionsOf(state: Record<string, unknown>): { to: string; kind: EdgeKind }[] {
  const out: { to: string; kind: EdgeKind }[] = [];
  const add = (to: unknown, kind: EdgeKind) => {
    if (typeof to === 'string' && !out.some((e) => e.to === to && e.kind === kind)) out.push({ to, kind });
  };
  for (const choice of Array.isArray(state.Choices) ? state.Choices : [])
    add((choice as { Next?: unknown }).Next, 'choice');
  add(state.Default, 'default');
  add(state.Next, 'next');
  for (const handler of Array.isArray(state.Catch) ? state.Catch : [])
    add((handler as { Next?: unknown }).Next, 'catch');
  return out;
}

interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  back: boolean;
}

/** The edges, with those closing a cycle (found depth-first from StartAt, catches last) marked back. */
function edgesOf(definition: AslLike): Edge[] {
  const names = Object.keys(definition.States);
  const raw = names.flatMap((from) =>
    transitionsOf(definition.States[from] ?? {})
      .filter((t) => t.to in definition.States)
      .map((t) => ({ from, ...t })),
  );
  // Catch edges go last so the happy path decides what is "down".
  const order = (kind: EdgeKind) => (kind === 'catch' ? 1 : 0);
  const out = new Map<string, Edge[]>();
  for (const edge of raw) out.set(edge.from, [...(out.get(edge.from) ?? []), { ...edge, back: false }]);
  for (const list of out.values()) list.sort((a, b) => order(a.kind) - order(b.kind));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string) => {
    state.set(name, 'open');
    for (const edge of out.get(name) ?? []) {
      const seen = state.get(edge.to);
      if (seen === 'open' || edge.to === name) edge.back = true;
      else if (seen === undefined) visit(edge.to);
    }
    state.set(name, 'done');
  };
  for (const start of [definition.StartAt, ...names]) if (!state.has(start)) visit(start);
  return [...out.values()].flat();
}

/** Longest path from the sources over the forward edges (the graph without back edges is acyclic). */
function layersOf(names: string[], edges: Edge[]): Map<string, number> {
  const layer = new Map<string, number>(names.map((n) => [n, 0]));
  const forward = edges.filter((e) => !e.back && e.from !== e.to);
  // Bellman-Ford style relaxation: at most |V| rounds on a DAG.
  for (let round = 0; round < names.length; round++) {
    let changed = false;
    for (const e of forward) {
      const want = (layer.get(e.from) ?? 0) + 1;
      if (want > (layer.get(e.to) ?? 0)) {
        layer.set(e.to, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}

interface Vertex {
  id: string;
  layer: number;
  width: number;
  /** the state it draws, or undefined for a dummy point of a long edge */
  state?: string;
  order: number;
  x: number;
}

export function layoutGraph(definition: AslLike): GraphLayout {
  const names = Object.keys(definition.States);
  const edges = edgesOf(definition);
  const layer = layersOf(names, edges);
  // Lines from twenty Tasks to Compensate would hide the flow: those count for the layering only.
  const catches = new Map<string, number>();
  for (const e of edges) if (e.kind === 'catch') catches.set(e.to, (catches.get(e.to) ?? 0) + 1);
  const toHub = (e: Edge) => e.kind === 'catch' && (catches.get(e.to) ?? 0) >= HUB_CATCHES;
  const onError = new Map(edges.filter(toHub).map((e) => [e.from, e.to]));
  const drawn = edges.filter((e) => !toHub(e));
  const vertices = new Map<string, Vertex>();
  for (const name of names)
    vertices.set(name, { id: name, layer: layer.get(name) ?? 0, width: nodeWidth(name), state: name, order: 0, x: 0 });

  // Each edge as a chain top → bottom through one dummy per row it crosses.
  const chains: { edge: Edge; ids: string[] }[] = [];
  drawn.forEach((edge, index) => {
    if (edge.from === edge.to) {
      chains.push({ edge, ids: [edge.from, edge.to] });
      return;
    }
    const [top, bottom] = edge.back ? [edge.to, edge.from] : [edge.from, edge.to];
    const from = layer.get(top) ?? 0;
    const to = layer.get(bottom) ?? 0;
    const ids = [top];
    for (let l = from + 1; l < to; l++) {
      const id = `\u0000${index}:${l}`;
      vertices.set(id, { id, layer: l, width: DUMMY_WIDTH, order: 0, x: 0 });
      ids.push(id);
    }
    ids.push(bottom);
    chains.push({ edge, ids });
  });

  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const { ids } of chains)
    for (let i = 0; i + 1 < ids.length; i++) {
      const a = ids[i] as string;
      const b = ids[i + 1] as string;
      if (a === b) continue;
      down.set(a, [...(down.get(a) ?? []), b]);
      up.set(b, [...(up.get(b) ?? []), a]);
    }

  const depth = Math.max(0, ...[...vertices.values()].map((v) => v.layer)) + 1;
  const rows: Vertex[][] = Array.from({ length: depth }, () => []);
  for (const v of vertices.values()) rows[v.layer]?.push(v);
  rows.forEach((row) => {
    row.forEach((v, i) => {
      v.order = i;
    });
  });

  const barycenter = (v: Vertex, neighbours: Map<string, string[]>) => {
    const around = (neighbours.get(v.id) ?? []).map((id) => vertices.get(id)?.order ?? 0);
    return around.length === 0 ? v.order : around.reduce((a, b) => a + b, 0) / around.length;
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const downward = sweep % 2 === 0;
    const sequence = downward ? rows.slice(1) : rows.slice(0, -1).reverse();
    for (const row of sequence) {
      const keyed = row.map((v) => ({ v, key: barycenter(v, downward ? up : down) }));
      keyed.sort((a, b) => a.key - b.key || a.v.order - b.v.order);
      keyed.forEach(({ v }, i) => {
        v.order = i;
      });
      row.sort((a, b) => a.order - b.order);
    }
  }

  // x: rows packed left to right, then pulled toward their neighbours' centres without overlapping.
  for (const row of rows) {
    let x = 0;
    for (const v of row) {
      v.x = x + v.width / 2;
      x += v.width + COLUMN_GAP;
    }
  }
  const centre = (v: Vertex, neighbours: Map<string, string[]>) => {
    const around = (neighbours.get(v.id) ?? []).map((id) => vertices.get(id)?.x ?? v.x);
    return around.length === 0 ? v.x : around.reduce((a, b) => a + b, 0) / around.length;
  };
  for (let pass = 0; pass < SWEEPS; pass++) {
    const downward = pass % 2 === 0;
    for (const row of downward ? rows : [...rows].reverse()) {
      for (const v of row) v.x = (v.x + centre(v, downward ? up : down)) / 2;
      // Resolve overlaps: push right, then pull the row back toward where it wanted to be.
      for (let i = 1; i < row.length; i++) {
        const a = row[i - 1] as Vertex;
        const b = row[i] as Vertex;
        const min = a.x + a.width / 2 + COLUMN_GAP + b.width / 2;
        if (b.x < min) b.x = min;
      }
    }
  }
  const left = Math.min(...[...vertices.values()].map((v) => v.x - v.width / 2));
  for (const v of vertices.values()) v.x = v.x - left + MARGIN;
  const width = Math.max(...[...vertices.values()].map((v) => v.x + v.width / 2)) + MARGIN;
  const rowY = (l: number) => MARGIN + l * (NODE_HEIGHT + ROW_GAP);
  const height = rowY(depth - 1) + NODE_HEIGHT + MARGIN;

  const nodes: LaidOutNode[] = names.map((name) => {
    const v = vertices.get(name) as Vertex;
    return {
      name,
      type: definition.States[name]?.Type ?? 'Unknown',
      layer: v.layer,
      x: Math.round(v.x - v.width / 2),
      y: rowY(v.layer),
      width: v.width,
      height: NODE_HEIGHT,
      ...(onError.has(name) && { onError: onError.get(name) }),
    };
  });

  const laidEdges: LaidOutEdge[] = chains.map(({ edge, ids }) => {
    const points = ids.map((id, i) => {
      const v = vertices.get(id) as Vertex;
      const y = rowY(v.layer);
      if (!v.state) return { x: Math.round(v.x), y: y + NODE_HEIGHT / 2 };
      // leave the top vertex from its bottom, enter the bottom one at its top
      return { x: Math.round(v.x), y: i === 0 ? y + NODE_HEIGHT : y };
    });
    if (edge.from === edge.to) {
      const v = vertices.get(edge.from) as Vertex;
      const y = rowY(v.layer);
      const right = Math.round(v.x + v.width / 2);
      return {
        ...edge,
        points: [
          { x: right, y: y + 6 },
          { x: right + 16, y: y + NODE_HEIGHT / 2 },
          { x: right, y: y + NODE_HEIGHT - 6 },
        ],
      };
    }
    return { ...edge, points: edge.back ? points.reverse() : points };
  });

  return { width: Math.ceil(width), height, nodes, edges: laidEdges };
}
