import { describe, expect, it } from 'vitest';
import { awsCall, codedError, isAwsCode, translateAwsError } from '../../src/core/aws/translate-error.ts';
import { AwsRequestError, TransientAwsError } from '../../src/core/errors.ts';
import { ec2Error, rejection, route53Error } from './setup.ts';

describe('translateAwsError', () => {
  it.each([
    'Throttling',
    'ThrottlingException',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'PriorRequestNotComplete',
    'RequestThrottled',
    'InternalError',
    'InternalFailure',
    'ServiceUnavailable',
    'Unavailable',
  ])('makes %s a TransientAwsError with its code and operation', (code) => {
    // Prepare
    const original = ec2Error(code);

    // Act
    const translated = translateAwsError(original, 'CreateVpcEndpoint');

    // Assess
    expect(translated).toBeInstanceOf(TransientAwsError);
    expect(translated).toMatchObject({ name: 'TransientAwsError', code, operation: 'CreateVpcEndpoint' });
    expect(translated.message).toBe(`${code}: ${code} from EC2 (CreateVpcEndpoint)`);
    expect(translated.cause).toBe(original);
  });

  it('makes any server fault transient, whatever its code', () => {
    const translated = translateAwsError(
      ec2Error('SomethingNew', { fault: 'server', status: 400 }),
      'DescribeVpcEndpoints',
    );

    expect(translated).toBeInstanceOf(TransientAwsError);
    expect(translated).toMatchObject({ code: 'SomethingNew', operation: 'DescribeVpcEndpoints' });
  });

  it('makes an HTTP 5xx transient even when marked as a client fault', () => {
    const translated = translateAwsError(route53Error('Bizarre', { status: 503 }), 'GetChange');

    expect(translated).toBeInstanceOf(TransientAwsError);
    expect(translated).toMatchObject({ code: 'Bizarre', operation: 'GetChange' });
  });

  it.each(['InvalidSubnetID.NotFound', 'VpcEndpointLimitExceeded', 'UnauthorizedOperation', 'InvalidChangeBatch'])(
    'makes %s an AwsRequestError',
    (code) => {
      const original = ec2Error(code);

      const translated = translateAwsError(original, 'CreateVpcEndpoint');

      expect(translated).toBeInstanceOf(AwsRequestError);
      expect(translated).toMatchObject({ name: 'AwsRequestError', code, operation: 'CreateVpcEndpoint' });
      expect(translated.message).toMatch(new RegExp(`^${code.replace('.', '\\.')}: `));
      expect(translated.cause).toBe(original);
    },
  );

  it('reads the code from Code when the error carries one', () => {
    const error = Object.assign(new Error('denied'), { Code: 'AccessDenied', $metadata: {} });

    expect(translateAwsError(error, 'CreateTags')).toMatchObject({ name: 'AwsRequestError', code: 'AccessDenied' });
  });

  it.each([
    ['a socket reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    [
      'a socket reset after SDK retries',
      Object.assign(new Error('reset'), { code: 'ECONNRESET', $metadata: {} }),
      'ECONNRESET',
    ],
    ['an SDK timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'TimeoutError'],
  ])('makes %s transient', (_, error, code) => {
    const translated = translateAwsError(error, 'DescribeVpcEndpoints');

    expect(translated).toBeInstanceOf(TransientAwsError);
    expect(translated).toMatchObject({ code, operation: 'DescribeVpcEndpoints' });
  });

  it('returns errors that did not come from AWS unchanged', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'VpcEndpointId')");

    expect(translateAwsError(bug, 'CreateVpcEndpoint')).toBe(bug);
  });

  it('returns an error already translated unchanged', () => {
    const translated = new AwsRequestError('InvalidServiceName', 'DescribeVpcEndpointServices', 'unknown');

    expect(translateAwsError(translated, 'Other')).toBe(translated);
  });

  it('wraps something thrown that is not an Error', () => {
    const translated = translateAwsError('boom', 'CreateTags');

    expect(translated).toBeInstanceOf(Error);
    expect(translated.message).toBe('boom');
  });
});

describe('codedError', () => {
  it('picks the class from the code', () => {
    expect(codedError('RequestLimitExceeded', 'DeleteVpcEndpoints', 'slow down')).toBeInstanceOf(TransientAwsError);
    expect(codedError('InvalidVpcEndpoint.Malformed', 'DeleteVpcEndpoints', 'bad id')).toMatchObject({
      name: 'AwsRequestError',
      code: 'InvalidVpcEndpoint.Malformed',
      operation: 'DeleteVpcEndpoints',
    });
  });
});

describe('isAwsCode', () => {
  it('matches the code of a raw SDK error', () => {
    expect(isAwsCode(ec2Error('InvalidPermission.Duplicate'), 'Other', 'InvalidPermission.Duplicate')).toBe(true);
    expect(isAwsCode(ec2Error('InvalidPermission.Duplicate'), 'InvalidPermission.NotFound')).toBe(false);
  });

  it('matches the code of a translated error', () => {
    const translated = translateAwsError(route53Error('NoSuchHostedZone'), 'GetHostedZone');

    expect(isAwsCode(translated, 'NoSuchHostedZone')).toBe(true);
    expect(isAwsCode(translated, 'HostedZoneNotEmpty')).toBe(false);
  });

  it('does not take the name of a plain error for an AWS code', () => {
    expect(isAwsCode(new TypeError('x'), 'TypeError')).toBe(false);
    expect(isAwsCode(undefined, 'NoSuchHostedZone')).toBe(false);
  });
});

describe('awsCall', () => {
  it('returns what the call returns', async () => {
    await expect(awsCall('GetChange', async () => 'INSYNC')).resolves.toBe('INSYNC');
  });

  it('rethrows SDK errors translated, naming the operation', async () => {
    const error = await rejection(
      awsCall('ChangeResourceRecordSets', async () => {
        throw route53Error('Throttling');
      }),
    );

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error).toMatchObject({ code: 'Throttling', operation: 'ChangeResourceRecordSets' });
  });
});
