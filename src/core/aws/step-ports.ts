// The ports a step gets in Lambda (and in the local runner, where the sandbox sits behind the same clients).
import { clock } from '../clock.ts';
import type { StepPorts } from '../steps/state.ts';
import { ec2Client, route53Client } from './clients.ts';
import { buildEc2Adapter } from './ec2.ts';
import { buildRoute53Adapter } from './route53.ts';

export function stepPorts(region: string): StepPorts {
  return { ec2: buildEc2Adapter(ec2Client(region)), route53: buildRoute53Adapter(route53Client()), clock };
}
