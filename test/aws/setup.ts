// Shared by the adapter tests: the aws-sdk-client-mock matchers (and their types), and SDK-shaped errors.
import 'aws-sdk-client-mock-vitest/extend';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { Route53ServiceException } from '@aws-sdk/client-route-53';

interface ErrorShape {
  fault?: 'client' | 'server';
  status?: number;
}

/** An error as the EC2 client throws it: the AWS code in `name`. */
export function ec2Error(code: string, { fault = 'client', status = 400 }: ErrorShape = {}): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    message: `${code} from EC2`,
  });
}

/** An error as the Route 53 client throws it. */
export function route53Error(
  code: string,
  { fault = 'client', status = 400 }: ErrorShape = {},
): Route53ServiceException {
  return new Route53ServiceException({
    name: code,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    message: `${code} from Route 53`,
  });
}

/** What a failed promise rejected with, to assert several properties at once. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** The inputs of every command of this class a client mock received, in order. */
export function sentInputs<T extends object>(
  mock: { calls(): { args: unknown[] }[] },
  command: abstract new (...args: never[]) => { input: T },
): T[] {
  return mock.calls().flatMap((call) => (call.args[0] instanceof command ? [call.args[0].input] : []));
}
