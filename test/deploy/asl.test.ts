// Both workflow definitions, as deployed (Fn::GetAtt resolved to Lambda ARNs), pass the three validators:
// asl-validator (also run by serverless-step-functions), AWS's own language service, and statelint.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { getLanguageService, TextDocument } from 'amazon-states-language-service';
import { describe, expect, it } from 'vitest';
import { loadDefinition, resolveDefinition, type WorkflowName } from '../../src/core/runner/definitions.ts';
import { ROOT } from './packaged.ts';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: unknown[] };
const { StateLint } = require('@wmfs/statelint') as {
  StateLint: new () => { validate(definition: unknown): string[] };
};

const workflows = readdirSync(join(ROOT, 'statemachines'))
  .filter((f) => f.endsWith('.asl.json'))
  .map((f) => f.replace(/\.asl\.json$/, '') as WorkflowName);

function resolved(workflow: WorkflowName) {
  // Deep copy each time: asl-validator mutates what it is given.
  return JSON.parse(JSON.stringify(resolveDefinition(loadDefinition(workflow)))) as Record<string, unknown>;
}

describe.each(workflows)('statemachines/%s.asl.json', (workflow) => {
  it('passes asl-validator', () => {
    const { isValid, errors } = aslValidator(resolved(workflow), { checkPaths: true, checkArn: true });
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it("passes AWS's amazon-states-language-service", async () => {
    const text = JSON.stringify(resolved(workflow), null, 2);
    const document = TextDocument.create(`file:///${workflow}.asl.json`, 'json', 1, text);
    const service = getLanguageService({});
    const diagnostics = await service.doValidation(document, service.parseJSONDocument(document));
    expect(diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('passes statelint', () => {
    expect(new StateLint().validate(resolved(workflow))).toEqual([]);
  });

  it('fails each validator when StartAt names no state', async () => {
    const broken = { ...resolved(workflow), StartAt: 'NoSuchState' };
    expect(aslValidator(JSON.parse(JSON.stringify(broken))).isValid).toBe(false);
    expect(new StateLint().validate(broken).length).toBeGreaterThan(0);
    const document = TextDocument.create('file:///broken.asl.json', 'json', 1, JSON.stringify(broken, null, 2));
    const service = getLanguageService({});
    expect((await service.doValidation(document, service.parseJSONDocument(document))).length).toBeGreaterThan(0);
  });
});
