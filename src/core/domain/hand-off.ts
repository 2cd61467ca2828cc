// The hand-off to the other party (consumer.external): the exact command they run in their account.
import type { ProvisionRequest } from './request.ts';
import type { Action } from './result.ts';

/** Shell-safe: ids and names here are [A-Za-z0-9._:-] by the request's schema; anything else is quoted. */
function arg(value: string): string {
  return /^[A-Za-z0-9._:/=-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * `aws ec2 create-vpc-endpoint …` for the other party: an interface endpoint to `serviceName` in their
 * VPC and subnets (placeholders where the request does not name them), private DNS off as ours are.
 */
export function consumerCommand(request: ProvisionRequest, serviceName: string): string {
  const external = 'external' in request.consumer ? request.consumer.external : undefined;
  const vpc = external?.vpcId ?? '<your-vpc-id>';
  const subnets = external?.subnetIds?.length ? external.subnetIds : ['<your-subnet-ids>'];
  return [
    'aws ec2 create-vpc-endpoint',
    `--region ${arg(request.region)}`,
    '--vpc-endpoint-type Interface',
    `--vpc-id ${arg(vpc)}`,
    `--subnet-ids ${subnets.map(arg).join(' ')}`,
    `--service-name ${arg(serviceName)}`,
    '--no-private-dns-enabled',
  ].join(' ');
}

/** What the waiting request tells the other party (the result's `actions`). */
export function consumerAction(request: ProvisionRequest, serviceName: string): Action {
  const account = 'external' in request.consumer ? request.consumer.external.accountId : 'the other account';
  return {
    who: 'consumer',
    what: `In account ${account}, create an interface endpoint to ${serviceName} (the command below), then report its id: privatelink finalize --request-id ${request.requestId} --endpoint-id <vpce-id>`,
    command: consumerCommand(request, serviceName),
  };
}
