// Loads a statemachines/ definition as deployed (tasks referenced with Fn::GetAtt) and resolves it
// for local execution: each Task's function, and a concrete ARN in place of the intrinsic.
import { readFileSync } from 'node:fs';

export type WorkflowName = 'provision' | 'teardown';
export type AslState = Record<string, unknown> & { Type: string };
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

export function definitionPath(workflow: WorkflowName): URL {
  return new URL(`../../../statemachines/${workflow}.asl.json`, import.meta.url);
}

export function loadDefinition(workflow: WorkflowName): AslDefinition {
  return JSON.parse(readFileSync(definitionPath(workflow), 'utf8')) as AslDefinition;
}

function functionOf(resource: unknown): string | undefined {
  if (resource && typeof resource === 'object' && 'Fn::GetAtt' in resource) {
    const att = (resource as { 'Fn::GetAtt': unknown })['Fn::GetAtt'];
    if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  }
  return undefined;
}

/** Every Task state's function (logical name in serverless.yml), by state name. */
export function taskFunctions(definition: AslDefinition): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    const fn = state.Type === 'Task' ? functionOf(state.Resource) : undefined;
    if (fn) out[name] = fn;
  }
  return out;
}

/** The definition with every Fn::GetAtt replaced by a Lambda ARN (for local runs and validators). */
export function resolveDefinition(definition: AslDefinition, region = 'us-east-1', account = '111122223333') {
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    const fn = functionOf(state.Resource);
    states[name] = fn
      ? { ...state, Resource: `arn:aws:lambda:${region}:${account}:function:privatelink-${fn}` }
      : state;
  }
  return { ...definition, States: states };
}
