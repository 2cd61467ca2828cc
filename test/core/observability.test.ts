import { describe, expect, it } from 'vitest';
import { correlationKeys } from '../../src/core/observability.ts';

describe('correlationKeys', () => {
  it('reads the request id and the execution id the workflow recorded', () => {
    const executionId = 'arn:aws:states:us-east-1:111122223333:execution:privatelink-provision:cluster0-app-prod';
    expect(
      correlationKeys({ request: { requestId: 'cluster0-app-prod' }, execution: { name: 'x', id: executionId } }),
    ).toEqual({ requestId: 'cluster0-app-prod', executionId });
  });

  it('leaves out what is absent or not a string', () => {
    expect(correlationKeys({ request: { requestId: 7 }, execution: {} })).toEqual({});
    expect(correlationKeys(undefined)).toEqual({});
  });
});
