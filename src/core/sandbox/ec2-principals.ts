// Who may discover and connect to an endpoint service. AWS: "By default, your endpoint service is not
// available to service consumers. You must add permissions that allow specific AWS principals to create
// an interface VPC endpoint" (docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html,
// "Manage permissions"); `*` is "All principals in all AWS accounts".
import type { AllowedPrincipal } from '@aws-sdk/client-ec2';

/** The principal ARNs the permissions accept: everyone, an account, or a role or user of an account. */
export const PRINCIPAL = /^(\*|arn:aws(-cn|-us-gov)?:iam::(\d{12}):(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+))$/;

export function principalType(principal: string): AllowedPrincipal['PrincipalType'] {
  if (principal === '*') return 'All';
  if (principal.endsWith(':root')) return 'Account';
  return principal.includes(':role/') ? 'Role' : 'User';
}

/**
 * Whether a call made from `accountId` is allowed by `principals`. The sandbox has no IAM identities:
 * a call from an account acts as whichever of its principals was allowed, so a role or user ARN of
 * that account allows it as its root ARN does.
 */
export function allowsAccount(principals: readonly string[], accountId: string): boolean {
  return principals.some((p) => p === '*' || PRINCIPAL.exec(p)?.[3] === accountId);
}
