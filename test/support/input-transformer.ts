// EventBridge's input transformer, as the rule applies it: each InputPathsMap entry is a dot-notation
// JSON path into the event; in the InputTemplate a placeholder outside quotes becomes the value as JSON,
// inside quotes the value's text (unescaped, as EventBridge does).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface InputTransformer {
  inputPathsMap: Record<string, string>;
  inputTemplate: string;
}

function valueAt(event: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_-]+)*$/.test(path)) throw new Error(`unsupported path ${path}`);
  let value: unknown = event;
  for (const key of path.split('.').slice(1)) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

/** The target's input for `event`, as text (what Step Functions receives as the execution input). */
export function transformInput(transformer: InputTransformer, event: unknown): string {
  const values = new Map(Object.entries(transformer.inputPathsMap).map(([name, path]) => [name, valueAt(event, path)]));
  let out = '';
  let inString = false;
  const template = transformer.inputTemplate;
  for (let i = 0; i < template.length; i++) {
    const char = template[i] ?? '';
    if (char === '\\' && inString) {
      out += char + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '"') inString = !inString;
    const placeholder = char === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i)) : null;
    if (!placeholder?.[1]) {
      out += char;
      continue;
    }
    const value = values.get(placeholder[1]);
    // EventBridge leaves a variable whose path the event lacks undefined; the template then breaks.
    if (value === undefined) throw new Error(`the event has no value for <${placeholder[1]}>`);
    out += inString ? String(value) : JSON.stringify(value);
    i += placeholder[0].length - 1;
  }
  return out;
}

/** The rule's input transformer: the very file serverless.yml deploys. */
export const clusterCreatedTransformer = JSON.parse(
  readFileSync(new URL('../../deploy/cluster-created-input.json', import.meta.url), 'utf8'),
) as InputTransformer;

/** A Cluster Created event as EventBridge delivers it (a fresh id each time). */
export function clusterCreatedEvent(detail?: unknown): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Cluster Created',
    source: 'acme.clusters',
    account: '111122223333',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    ...(detail !== undefined && { detail }),
  };
}
