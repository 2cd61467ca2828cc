// Lambda (slackCommand): POST /slack/commands, the `/privatelink` slash command. Checked by Slack's
// signature (secret from SSM), answered with an ephemeral acknowledgement well within Slack's 3 s;
// the workflow itself reports to response_url (the request's notify.slackResponseUrl). In Lambda the event
// goes through the shared middy stack (Powertools logger keyed by API Gateway's request id, tracer) and
// Powertools parser, as the HTTP API's does.

import type { HttpEvent, HttpResponse } from '../src/core/app/http-event.ts';
import { requiredEnv, ssmClient } from '../src/core/aws/control-clients.ts';
import { DynamoDbReplayStore, dynamoDbClient } from '../src/core/aws/dynamodb-replay.ts';
import { logger, traced, withObservability } from '../src/core/observability.ts';
import { httpEventParser } from '../src/http/lambda-event.ts';
import { handleSlackCommand, type SlackDeps } from '../src/slack/commands.ts';
import { postToSlack } from '../src/slack/post.ts';
import { SLACK_PROFILES } from '../src/slack/profiles.ts';
import type { ReplayStore } from '../src/slack/replay.ts';
import { cachedSsmSecret } from '../src/slack/signing-secret.ts';
import { awsWorkflows, lazy, logHttpError } from './http-api.ts';

/** The Lambda handler over `deps` (the bench answers through it with an in-memory workflow port). */
export function buildSlackCommandHandler(deps: SlackDeps) {
  return withObservability(async (event: HttpEvent): Promise<HttpResponse> => handleSlackCommand(event, deps), {
    name: 'slackCommand',
    middlewares: [httpEventParser(logHttpError)],
  });
}

let secret: (() => Promise<string>) | undefined;
let replayTable: DynamoDbReplayStore | undefined;

/**
 * Signed requests seen, in the DynamoDB table every container shares (SLACK_REPLAY_TABLE_NAME), built on
 * first use so a missing setting is a logged 500 rather than a crashed init.
 */
export const lambdaReplays: ReplayStore = {
  claim: (key, expiresAtSeconds, nowSeconds) => {
    replayTable ??= new DynamoDbReplayStore(traced(dynamoDbClient()), requiredEnv('SLACK_REPLAY_TABLE_NAME'));
    return replayTable.claim(key, expiresAtSeconds, nowSeconds);
  },
};

export const handler = buildSlackCommandHandler({
  workflows: lazy(awsWorkflows),
  signingSecret: () => {
    secret ??= cachedSsmSecret(traced(ssmClient()), requiredEnv('SLACK_SIGNING_SECRET_PARAMETER'));
    return secret();
  },
  profiles: SLACK_PROFILES,
  post: postToSlack,
  // a replay within Slack's five minutes is answered once, whichever container it reaches
  replays: lambdaReplays,
  logError: (error) => logger.error('slack command failed', { error: error instanceof Error ? error : String(error) }),
});
