// Where the Atlas service account comes from: ATLAS_CLIENT_ID / ATLAS_CLIENT_SECRET locally, the secret
// named by ATLAS_SECRET_ARN in AWS (Secrets Manager, JSON {"clientId","clientSecret"}), or whatever the
// sandbox swaps in (its simulated organization's own service account).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsCall } from '../aws/translate-error.ts';
import { PreconditionError } from '../errors.ts';
import type { AtlasPort } from '../ports.ts';
import { buildAtlasAdapter } from './adapter.ts';
import type { AtlasCredentials } from './oauth.ts';

export type AtlasCredentialsProvider = () => Promise<AtlasCredentials>;

let secretsClient: SecretsManagerClient | undefined;
/** One GetSecretValue per secret for the Lambda's life (a rotated secret needs a new execution environment). */
const fromSecrets = new Map<string, Promise<AtlasCredentials>>();

/** The region in the secret's ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME), else the Lambda's own. */
function secretRegion(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(arn)?.[1];
}

function client(arn: string): SecretsManagerClient {
  const region = secretRegion(arn);
  secretsClient ??= new SecretsManagerClient(region ? { region } : {});
  return secretsClient;
}

async function readSecret(arn: string): Promise<AtlasCredentials> {
  const answer = await awsCall('GetSecretValue', () => client(arn).send(new GetSecretValueCommand({ SecretId: arn })));
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.SecretString ?? '');
  } catch {
    parsed = undefined;
  }
  const { clientId, clientSecret } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  if (typeof clientId !== 'string' || !clientId || typeof clientSecret !== 'string' || !clientSecret) {
    // Never the secret's text: only what is wrong with it.
    throw new PreconditionError(
      'AtlasCredentialsInvalid',
      `the secret ${arn} must be a JSON object with string "clientId" and "clientSecret"`,
    );
  }
  return { clientId, clientSecret };
}

/** The environment's service account: ATLAS_CLIENT_ID/ATLAS_CLIENT_SECRET, else ATLAS_SECRET_ARN. */
export const environmentCredentials: AtlasCredentialsProvider = async () => {
  const clientId = process.env.ATLAS_CLIENT_ID;
  const clientSecret = process.env.ATLAS_CLIENT_SECRET;
  if (clientId && clientSecret) return { clientId, clientSecret };
  if (clientId || clientSecret) {
    const missing = clientId ? 'ATLAS_CLIENT_SECRET' : 'ATLAS_CLIENT_ID';
    throw new PreconditionError(
      'AtlasCredentialsMissing',
      `${missing} is not set (ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET go together)`,
    );
  }
  const arn = process.env.ATLAS_SECRET_ARN;
  if (!arn) {
    throw new PreconditionError(
      'AtlasCredentialsMissing',
      'no Atlas service account: set ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET, or ATLAS_SECRET_ARN (Secrets Manager)',
    );
  }
  let pending = fromSecrets.get(arn);
  if (!pending) {
    pending = readSecret(arn);
    fromSecrets.set(arn, pending);
    // A failed read is not kept: the next call (the state machine's retry) reads again.
    pending.catch(() => fromSecrets.delete(arn));
  }
  return pending;
};

let current: AtlasCredentialsProvider = environmentCredentials;

/** The service account the adapter uses now. */
export const atlasCredentials: AtlasCredentialsProvider = () => current();

/** Replaces the service account (the sandbox's own); returns a function that restores the previous one. */
export function useAtlasCredentials(next: AtlasCredentialsProvider): () => void {
  const previous = current;
  current = next;
  return () => {
    current = previous;
  };
}

/** Forgets the Secrets Manager client and the values read (tests). */
export function resetAtlasCredentials(): void {
  secretsClient = undefined;
  fromSecrets.clear();
}

/** The adapter as the steps use it: ATLAS_BASE_URL, the current transport, clock and service account. */
export function atlasPortFromEnvironment(): AtlasPort {
  return buildAtlasAdapter({ credentials: atlasCredentials });
}
