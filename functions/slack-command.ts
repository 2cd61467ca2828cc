// Lambda (slackCommand): POST /slack/commands, the `/privatelink` slash command. Checked by Slack's
// signature (secret from SSM), answered with an ephemeral acknowledgement well within Slack's 3 s;
// the workflow itself reports to response_url (the request's notify.slackResponseUrl).
import { requiredEnv, ssmClient } from '../src/core/aws/control-clients.ts';
import type { HttpEvent, HttpResponse } from '../src/http/http-types.ts';
import { handleSlackCommand } from '../src/slack/commands.ts';
import { postToSlack } from '../src/slack/post.ts';
import { SLACK_PROFILES } from '../src/slack/profiles.ts';
import { cachedSsmSecret } from '../src/slack/signing-secret.ts';
import { awsWorkflows, lazy } from './http-api.ts';

let secret: (() => Promise<string>) | undefined;

export const handler = async (event: HttpEvent): Promise<HttpResponse> =>
  handleSlackCommand(event, {
    workflows: lazy(awsWorkflows),
    signingSecret: () => {
      secret ??= cachedSsmSecret(ssmClient(), requiredEnv('SLACK_SIGNING_SECRET_PARAMETER'));
      return secret();
    },
    profiles: SLACK_PROFILES,
    post: postToSlack,
    logError: (error) =>
      console.error(JSON.stringify({ level: 'ERROR', message: 'slack command', error: String(error) })),
  });
