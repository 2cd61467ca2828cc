// The ports a step gets in Lambda (and in the local runner, where the sandbox sits behind the same clients).
// A function imports only the factory for the services its step calls, so its bundle holds (and its cold
// start loads) only those SDK clients: checkDnsChange has no EC2 client, the endpoint steps no Route 53.
import { clock } from '../clock.ts';
import type { Ec2StepPorts, Route53StepPorts, StepPorts } from '../ports.ts';
import { ec2Client, route53Client } from './clients.ts';
import { buildEc2Adapter } from './ec2.ts';
import { buildRoute53Adapter } from './route53.ts';

export function ec2StepPorts(region: string): Ec2StepPorts {
  return { ec2: buildEc2Adapter(ec2Client(region)), clock };
}

export function route53StepPorts(): Route53StepPorts {
  return { route53: buildRoute53Adapter(route53Client()), clock };
}

export function stepPorts(region: string): StepPorts {
  return { ...ec2StepPorts(region), ...route53StepPorts() };
}
