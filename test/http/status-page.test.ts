// The status page without a browser: the layered layout of the real workflows (every state and
// transition drawn, every forward edge pointing down, no two states overlapping), escaping in the SVG,
// and the page's security headers (its script and stylesheet hashed into the CSP, nothing external).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../src/core/app/http-event.ts';
import type { WorkflowPort } from '../../src/core/app/workflow-port.ts';
import { handleHttp } from '../../src/http/routes.ts';
import { escapeHtml } from '../../src/http/status-page/escape.ts';
import { type AslLike, layoutGraph, NODE_HEIGHT, transitionsOf } from '../../src/http/status-page/graph-layout.ts';
import { edgePath, graphSvg } from '../../src/http/status-page/graph-svg.ts';
import { CONTENT_SECURITY_POLICY, statusPageHtml, statusPageResponse } from '../../src/http/status-page/page.ts';

const asl = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../statemachines/${name}.asl.json`, import.meta.url), 'utf8')) as AslLike;

describe('layoutGraph', () => {
  for (const workflow of ['provision', 'teardown'])
    it(`draws every state and transition of ${workflow}.asl.json, forward edges downward, no overlaps`, () => {
      const definition = asl(workflow);
      const layout = layoutGraph(definition);
      const names = Object.keys(definition.States);
      expect(layout.nodes.map((n) => n.name).sort()).toEqual([...names].sort());
      const wanted = names.flatMap((from) =>
        transitionsOf(definition.States[from] ?? {}).map((t) => `${from}>${t.to}:${t.kind}`),
      );
      // Drawn as a line, or (the many catches into Compensate) as a notch on the catching box.
      const drawn = [
        ...layout.edges.map((e) => `${e.from}>${e.to}:${e.kind}`),
        ...layout.nodes.flatMap((n) => (n.onError ? [`${n.name}>${n.onError}:catch`] : [])),
      ];
      expect(drawn.sort()).toEqual(wanted.sort());
      if (workflow === 'provision')
        expect(layout.nodes.find((n) => n.name === 'CheckEndpoint')?.onError).toBe('Compensate');

      const node = new Map(layout.nodes.map((n) => [n.name, n]));
      expect(node.get(definition.StartAt)?.layer).toBe(0);
      for (const edge of layout.edges) {
        const from = node.get(edge.from);
        const to = node.get(edge.to);
        if (!from || !to) throw new Error(`edge ${edge.from} → ${edge.to} has no node`);
        if (edge.back) expect(to.layer, `${edge.from} → ${edge.to}`).toBeLessThanOrEqual(from.layer);
        else expect(to.layer, `${edge.from} → ${edge.to}`).toBeGreaterThan(from.layer);
        // it leaves and enters the boxes' borders
        const [first, last] = [edge.points[0], edge.points.at(-1)];
        expect(first?.y).toBe(edge.back ? from.y : from.y + NODE_HEIGHT);
        expect(last?.y).toBe(edge.back ? to.y + NODE_HEIGHT : to.y);
      }
      for (const a of layout.nodes)
        for (const b of layout.nodes)
          if (a !== b && a.layer === b.layer)
            expect(a.x + a.width <= b.x || b.x + b.width <= a.x, `${a.name} overlaps ${b.name}`).toBe(true);
      for (const n of layout.nodes) {
        expect(n.x).toBeGreaterThanOrEqual(0);
        expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
        expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
      }
    });

  it('turns a polling loop around: the check below the wait, the way back marked back', () => {
    const layout = layoutGraph({
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Next: 'Wait', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Undo' }] },
        Wait: { Type: 'Wait', Seconds: 10, Next: 'Check' },
        Check: { Type: 'Task', Next: 'Done?', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Undo' }] },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Ok' }], Default: 'Wait' },
        Ok: { Type: 'Succeed' },
        Undo: { Type: 'Fail' },
      },
    });
    const layers = Object.fromEntries(layout.nodes.map((n) => [n.name, n.layer]));
    expect(layers).toEqual({ Start: 0, Wait: 1, Check: 2, 'Done?': 3, Ok: 4, Undo: 3 });
    expect(layout.edges.filter((e) => e.back).map((e) => `${e.from}>${e.to}`)).toEqual(['Done?>Wait']);
    // The way back passes one dummy point in the row between (beside Check), not through it.
    const back = layout.edges.find((e) => e.back);
    expect(back?.points).toHaveLength(3);
    const check = layout.nodes.find((n) => n.name === 'Check');
    const bend = back?.points[1]?.x ?? 0;
    expect(check && (bend < check.x || bend > check.x + check.width)).toBe(true);
  });
});

describe('graphSvg', () => {
  it('escapes state names in text, titles and attributes', () => {
    const evil = '<img src=x onerror="alert(1)">&\'';
    const svg = graphSvg('t', 'a "title"', layoutGraph({ StartAt: evil, States: { [evil]: { Type: 'Succeed' } } }));
    expect(svg).not.toContain('<img');
    expect(svg).toContain('data-state="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;"');
    expect(svg).toContain('aria-label="a &quot;title&quot;"');
    expect(() => graphSvg('Bad id"', 't', layoutGraph(asl('teardown')))).toThrow(/graph id/);
  });

  it('draws a path through every point', () => {
    expect(
      edgePath([
        { x: 0, y: 0 },
        { x: 10, y: 20 },
      ]),
    ).toBe('M0,0 C0,10 10,10 10,20');
    expect(edgePath([])).toBe('');
  });
});

describe('the page', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('hashes its one script and one stylesheet into a CSP that allows nothing else', () => {
    const html = statusPageHtml();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': hash(scripts[0] ?? ''),
      'style-src': hash(styles[0] ?? ''),
      'img-src': 'data:',
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
      'require-trusted-types-for': "'script'",
      'trusted-types': "'none'",
    });
    // Self-contained: nothing fetched from elsewhere, no inline handlers or style attributes the CSP would block.
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\s(on[a-z]+|style)=/i);
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(html).toContain('data-poll-ms="1000"');
    expect(statusPageHtml({ pollMs: 5000 })).toContain('data-poll-ms="5000"');
  });

  it('is GET / of the routes, with its security headers; other methods are 405', async () => {
    const unused = () => Promise.reject(new Error('the page reads no workflow'));
    const workflows: WorkflowPort = {
      startProvision: unused,
      getResult: unused,
      listResults: unused,
      startTeardown: unused,
      finalize: unused,
    };
    const event = (method: string): HttpEvent => ({ rawPath: '/', requestContext: { http: { method } } });
    const page = await handleHttp(event('GET'), { workflows, statusPage: { pollMs: 2000 } });
    expect(page.statusCode).toBe(200);
    expect(page.headers).toEqual(statusPageResponse().headers);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.body).toContain('data-poll-ms="2000"');
    expect(page.body).toContain('id="graph-provision"');
    expect(page.body).toContain('data-state="CheckEndpoint"');
    const post = await handleHttp(event('POST'), { workflows });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });
});
