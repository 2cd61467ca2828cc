// The ports of the steps that also speak to Atlas: EC2 (and Route 53 for undo) plus the Atlas adapter,
// which reads its credentials lazily (the environment locally, Secrets Manager in AWS), so a step of a
// request without Atlas never fetches them. Kept apart from step-ports.ts so the other functions'
// bundles carry no Atlas or Secrets Manager code.
import { atlasPortFromEnvironment } from '../atlas/credentials.ts';
import type { AllStepPorts, AtlasStepPorts } from '../ports.ts';
import { ec2StepPorts, stepPorts } from './step-ports.ts';

export function atlasStepPorts(region: string): AtlasStepPorts {
  return { ...ec2StepPorts(region), atlas: atlasPortFromEnvironment() };
}

export function allStepPorts(region: string): AllStepPorts {
  return { ...stepPorts(region), atlas: atlasPortFromEnvironment() };
}
