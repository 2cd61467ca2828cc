// A laid-out state machine as inline SVG for the status page. Colours come from the page's stylesheet
// (classes, no style attributes, so the page's Content-Security-Policy needs no 'unsafe-inline'); each
// state is a <g data-state="…"> the page's script marks current, visited or failed.
import { escapeHtml } from './escape.ts';
import type { GraphLayout, LaidOutEdge } from './graph-layout.ts';

const TYPE_CLASSES: Record<string, string> = {
  Task: 't-task',
  Choice: 't-choice',
  Wait: 't-wait',
  Pass: 't-pass',
  Succeed: 't-succeed',
  Fail: 't-fail',
  Parallel: 't-task',
  Map: 't-task',
};

const round = (n: number) => Math.round(n * 10) / 10;

/** A smooth path through the points, leaving and entering each one vertically. */
export function edgePath(points: { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${round(first.x)},${round(first.y)}`;
  let previous = first;
  for (const p of rest) {
    const mid = (p.y - previous.y) / 2;
    d += ` C${round(previous.x)},${round(previous.y + mid)} ${round(p.x)},${round(p.y - mid)} ${round(p.x)},${round(p.y)}`;
    previous = p;
  }
  return d;
}

function edgeClass(edge: LaidOutEdge): string {
  return ['edge', `e-${edge.kind}`, ...(edge.back ? ['back'] : [])].join(' ');
}

/** `id` names the drawing (its arrow markers are scoped by it): letters, digits and dashes only. */
export function graphSvg(id: string, title: string, layout: GraphLayout): string {
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new Error(`graph id ${id} must be lower-case letters, digits and dashes`);
  const marker = (name: string) =>
    `<marker id="${id}-${name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow-${name}" d="M0,0 L10,5 L0,10 z"/></marker>`;
  const edges = layout.edges
    .map((edge) => {
      const end = edge.kind === 'catch' ? 'catch' : 'flow';
      return `<path class="${edgeClass(edge)}" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}" d="${edgePath(edge.points)}" marker-end="url(#${id}-${end})"/>`;
    })
    .join('\n');
  const nodes = layout.nodes
    .map((node) => {
      const name = escapeHtml(node.name);
      const cls = TYPE_CLASSES[node.type] ?? 't-other';
      const rx = node.type === 'Choice' ? 13 : node.type === 'Task' ? 5 : 2;
      const title = `${name} (${escapeHtml(node.type)})${node.onError ? `; on error: ${escapeHtml(node.onError)}` : ''}`;
      // on error: a red notch on the box's right edge, for the hub it catches into
      const notch = node.onError
        ? `<path class="on-error" d="M${node.width},${node.height / 2 - 5} l-6,5 l6,5 z"/>`
        : '';
      return `<g class="node ${cls}" data-state="${name}" transform="translate(${node.x},${node.y})"><title>${title}</title><rect width="${node.width}" height="${node.height}" rx="${rx}"/>${notch}<text x="${node.width / 2}" y="${node.height / 2}">${name}</text></g>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" id="graph-${id}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}">`,
    `<defs>${marker('flow')}${marker('catch')}</defs>`,
    `<g class="edges">${edges}</g>`,
    `<g class="nodes">${nodes}</g>`,
    '</svg>',
  ].join('\n');
}
