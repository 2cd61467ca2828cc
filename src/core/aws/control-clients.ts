// SDK clients for the control plane the HTTP and Slack Lambdas use (Step Functions, SSM), created
// once per module; region and endpoint come from the standard chain (AWS_REGION, AWS_ENDPOINT_URL).
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';

let sfn: SFNClient | undefined;
let ssm: SSMClient | undefined;

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}

export function ssmClient(): SSMClient {
  ssm ??= new SSMClient({});
  return ssm;
}

/** A required setting from the environment; throws naming it when missing. */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`the ${name} environment variable is not set`);
  return value;
}
