// The status page's stylesheet (inlined; its hash goes in the Content-Security-Policy). System fonts only.
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --blue: #2563eb; --red: #dc2626;
  --green: #16a34a; --amber: #b45309; --bg: #f8fafc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 16px; padding: 12px 20px; background: #0f172a; color: #f8fafc; }
header h1 { font-size: 17px; margin: 0; font-weight: 600; }
header .live { margin-left: auto; font-size: 12px; color: #cbd5e1; }
header .live::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%;
  background: #64748b; margin-right: 6px; }
header .live.ok::before { background: #22c55e; }
header .live.error { color: #fecaca; }
header .live.error::before { background: var(--red); }
main { display: grid; grid-template-columns: minmax(360px, 1fr) minmax(480px, 1.15fr); gap: 16px; padding: 16px 20px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
section h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 8px; }
main { align-items: start; }
.column { display: flex; flex-direction: column; gap: 16px; min-width: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top;
  overflow-wrap: anywhere; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #f1f5f9; }
tbody tr.selected { background: #e0e7ff; }
td.request, td.step, td.status { white-space: nowrap; overflow-wrap: normal; }
td.step { white-space: normal; overflow-wrap: anywhere; }
td .endpoint { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); }
#requests { overflow-x: auto; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 10px;
  background: #e5e7eb; color: #374151; white-space: nowrap; }
.s-READY { background: #dcfce7; color: #166534; }
.s-FAILED { background: #fee2e2; color: #991b1b; }
.s-PROVISIONING, .s-DELETING { background: #dbeafe; color: #1e40af; }
.s-WAITING_FOR_CONSUMER, .s-WAITING_FOR_VENDOR { background: #fef3c7; color: #92400e; }
.s-DELETED { background: #f3f4f6; color: #6b7280; }
.muted { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0 0 8px; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.copyable { display: flex; align-items: flex-start; gap: 8px; margin: 4px 0 8px; }
.copyable code, pre { flex: 1; display: block; background: #0f172a; color: #e2e8f0; border-radius: 6px; padding: 7px 9px;
  font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere;
  margin: 0; }
button.copy { font: inherit; font-size: 12px; padding: 5px 10px; border: 1px solid #cbd5e1; border-radius: 6px;
  background: #fff; cursor: pointer; white-space: nowrap; }
button.copy:hover { background: #f1f5f9; }
button.copy.copied { border-color: var(--green); color: var(--green); }
.label { font-size: 12px; font-weight: 600; color: var(--muted); }
.action { border-left: 3px solid #f59e0b; padding: 4px 0 4px 10px; margin: 6px 0 10px; }
.action .who { font-weight: 600; color: var(--amber); }
.failure { border-left: 3px solid var(--red); padding: 4px 0 4px 10px; margin: 6px 0 10px; }
.failure .code { font-weight: 600; color: var(--red); }
.graph-wrap { overflow: auto; }
.legend { font-size: 12px; color: var(--muted); margin: 0 0 8px; }
.legend span { margin-right: 12px; }
svg.graph { display: block; margin: 0 auto; max-width: 100%; height: auto; }
.node rect { fill: #fff; stroke: #9aa4b2; stroke-width: 1; }
.node text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; text-anchor: middle;
  dominant-baseline: central; fill: #1f2937; }
.t-task rect { fill: #eef4ff; stroke: #7a9cc6; }
.t-choice rect { fill: #fff8e6; stroke: #d6b25e; }
.t-wait rect { fill: #f3f0ff; stroke: #a395d6; stroke-dasharray: 3 2; }
.t-pass rect { fill: #f8fafc; stroke: #cbd5e1; }
.t-succeed rect { fill: #e8f7ee; stroke: #4caf72; }
.t-fail rect { fill: #fdecec; stroke: #d9534f; }
.node.visited rect { stroke: var(--blue); stroke-width: 2; }
.node.current rect { fill: var(--blue); stroke: #1e3a8a; stroke-width: 2; }
.node.current text, .node.failed text, .node.done text { fill: #fff; font-weight: 600; }
.node.current { animation: pulse 1.2s ease-in-out infinite; }
.node.failed rect { fill: var(--red); stroke: #7f1d1d; stroke-width: 2; }
.node.done rect { fill: var(--green); stroke: #14532d; stroke-width: 2; }
@keyframes pulse { 50% { opacity: .65; } }
.edge { fill: none; stroke: #9aa4b2; stroke-width: 1.2; }
.edge.back { stroke: #94a3b8; stroke-dasharray: 5 3; }
.edge.e-catch { stroke: #f0b4b4; stroke-width: 1; stroke-dasharray: 3 3; opacity: .6; }
.edge.e-catch.from-current { stroke: var(--red); opacity: 1; stroke-width: 1.5; }
.arrow-flow { fill: #9aa4b2; }
.arrow-catch { fill: #f0b4b4; }
.on-error { fill: #ef4444; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
`;
