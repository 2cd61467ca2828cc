// A `/privatelink` slash command as API Gateway hands it to the Slack Lambda (payload v2, the form
// base64-encoded), signed with `secret` at `timestampSeconds` as Slack signs it (v0).
import type { HttpEvent } from '../../src/core/app/http-event.ts';
import { slackSignature } from '../../src/slack/signature.ts';

export function signedSlashCommand(secret: string, text: string, timestampSeconds: number): HttpEvent {
  const timestamp = String(timestampSeconds);
  const body = new URLSearchParams({
    command: '/privatelink',
    text,
    response_url: 'https://hooks.slack.com/commands/T1/2/abc',
  }).toString();
  return {
    rawPath: '/slack/commands',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
    requestContext: { http: { method: 'POST' } },
  };
}
