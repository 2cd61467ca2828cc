// The Slack signing secret: SLACK_SIGNING_SECRET locally; in AWS an SSM SecureString named by
// SLACK_SIGNING_SECRET_PARAMETER, read once per container and cached for a few minutes (rotation).
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

export function cachedSsmSecret(
  client: SSMClient,
  name: string,
  ttlMs = 5 * 60_000,
  now = Date.now,
): () => Promise<string> {
  let cached: { value: string; at: number } | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.value;
    pending ??= (async () => {
      try {
        const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        const value = out.Parameter?.Value;
        if (!value) throw new Error(`SSM parameter ${name} is empty`);
        cached = { value, at: now() };
        return value;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
}
