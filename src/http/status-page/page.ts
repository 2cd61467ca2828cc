// `GET /`: the status page. One self-contained HTML document (no CDN, no web fonts): the workflows drawn
// as SVG from statemachines/ at load, the stylesheet and the script inline and allowed by their hashes
// in a strict Content-Security-Policy. The script reads `GET /endpoints` for the live part.
import { createHash } from 'node:crypto';
import provisionAsl from '../../../statemachines/provision.asl.json' with { type: 'json' };
import teardownAsl from '../../../statemachines/teardown.asl.json' with { type: 'json' };
import type { HttpResponse } from '../../core/app/http-event.ts';
import { escapeHtml } from './escape.ts';
import { type AslLike, layoutGraph } from './graph-layout.ts';
import { graphSvg } from './graph-svg.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import { PAGE_STYLE } from './page-style.ts';

export const DEFAULT_POLL_MS = 1000;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Only the page's own script and stylesheet run; it may fetch its own origin and nothing else. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${sha256(PAGE_SCRIPT)}`,
  `style-src ${sha256(PAGE_STYLE)}`,
  'img-src data:',
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const LEGEND = [
  ['Task', 'a Lambda or service call'],
  ['Choice', 'a decision'],
  ['Wait', 'a wait on the clock'],
  ['red notch', 'on error, to Compensate'],
  ['dashed red', 'other Catch'],
  ['dashed grey', 'a loop back'],
]
  .map(([term, what]) => `<span><b>${escapeHtml(term ?? '')}</b> ${escapeHtml(what ?? '')}</span>`)
  .join('');

let drawings: string | undefined;

/** Both workflows, laid out once per process (the definitions are bundled with the code). */
function workflowDrawings(): string {
  drawings ??= (
    [
      ['provision', 'The provisioning workflow', provisionAsl],
      ['teardown', 'The teardown workflow', teardownAsl],
    ] as const
  )
    .map(
      ([id, title, asl], i) =>
        `<div id="wrap-${id}" class="graph-wrap"${i === 0 ? '' : ' hidden'}>${graphSvg(id, title, layoutGraph(asl as AslLike))}</div>`,
    )
    .join('\n');
  return drawings;
}

export function statusPageHtml(options: { pollMs?: number } = {}): string {
  const pollMs = Math.max(250, Math.round(options.pollMs ?? DEFAULT_POLL_MS));
  return `<!doctype html>
<html lang="en" data-poll-ms="${pollMs}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>privatelink status</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>privatelink</h1><span class="muted">requests, where each one is, and what it produced</span><span id="live" class="live">connecting…</span></header>
<noscript><p>This page needs JavaScript to read the requests; <code>GET /endpoints</code> gives the same as JSON.</p></noscript>
<main>
<div class="column">
<section id="requests-panel"><h2>Requests</h2><div id="requests"></div></section>
<section id="actions-panel"><h2>Waiting on someone</h2><div id="actions"></div></section>
<section id="detail-panel"><h2>Request</h2><div id="detail"></div></section>
</div>
<section id="graph-panel"><h2>Workflow</h2><p id="graph-caption" class="muted"></p><p class="legend">${LEGEND}</p>
${workflowDrawings()}
</section>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The page with its security headers: nothing cached, never framed, never sniffed. */
export function statusPageResponse(options: { pollMs?: number } = {}): HttpResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    },
    body: statusPageHtml(options),
  };
}
