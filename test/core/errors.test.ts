// How a Step Functions Catch payload becomes the result's code and message.
import { describe, expect, it } from 'vitest';
import { describeCaughtError } from '../../src/core/errors.ts';

describe('describeCaughtError', () => {
  it("reads the AWS code out of a project error, in Lambda's JSON Cause or a plain one", () => {
    const message = "InvalidSubnetID.NotFound: The subnet ID 'subnet-1' does not exist (CreateVpcEndpoint)";
    const lambda = JSON.stringify({ errorType: 'AwsRequestError', errorMessage: message, trace: ['at x'] });
    const expected = {
      code: 'InvalidSubnetID.NotFound',
      message: "The subnet ID 'subnet-1' does not exist (CreateVpcEndpoint)",
    };
    expect(describeCaughtError({ Error: 'AwsRequestError', Cause: lambda })).toEqual(expected);
    expect(describeCaughtError({ Error: 'AwsRequestError', Cause: message })).toEqual(expected);
    expect(describeCaughtError({ Error: 'EndpointStateError', Cause: 'EndpointRejected: no' })).toEqual({
      code: 'EndpointRejected',
      message: 'no',
    });
  });

  it('keeps the service errors of Step Functions and Lambda as they are', () => {
    expect(describeCaughtError({ Error: 'States.Timeout', Cause: 'Task timed out' })).toEqual({
      code: 'States.Timeout',
      message: 'Task timed out',
    });
    expect(describeCaughtError({ Error: 'Lambda.Unknown' })).toEqual({
      code: 'Lambda.Unknown',
      message: 'Lambda.Unknown',
    });
  });

  it("does not pass a bug's text on to users: it names the error type only", () => {
    const cause = JSON.stringify({
      errorType: 'TypeError',
      errorMessage: "Cannot read properties of undefined (reading 'x')",
    });
    const { code, message } = describeCaughtError({ Error: 'TypeError', Cause: cause });
    expect(code).toBe('TypeError');
    expect(message).not.toContain('reading');
  });

  it('a project error whose message lacks a code keeps its name as the code', () => {
    expect(describeCaughtError({ Error: 'AwsRequestError', Cause: 'no code here' })).toEqual({
      code: 'AwsRequestError',
      message: 'no code here',
    });
  });
});
