// The HTTP API and the Slack route over the local runner: what `privatelink serve` answers with.
import type { Environment } from '../core/app/environment.ts';
import { errorBody, type HttpEvent, type HttpResponse, json } from '../core/app/http-event.ts';
import { type LocalWorkflows, localWorkflows } from '../http/local-workflows.ts';
import { handleHttp } from '../http/routes.ts';
import { handleSlackCommand, type SlackDeps } from '../slack/commands.ts';
import { postToSlack } from '../slack/post.ts';
import { SLACK_PROFILES } from '../slack/profiles.ts';
import { fileReplayStore } from '../slack/replay.ts';

export interface LocalAppOptions {
  log?: (line: string) => void;
  /** default: process.env.SLACK_SIGNING_SECRET */
  slackSigningSecret?: string;
  slack?: Partial<Pick<SlackDeps, 'post' | 'now' | 'pollMs' | 'profiles'>>;
}

export function localHttpHandler(
  env: Environment,
  options: LocalAppOptions = {},
): { handle: (event: HttpEvent) => Promise<HttpResponse>; workflows: LocalWorkflows } {
  const log = options.log ?? ((line: string) => console.error(line));
  const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
  const workflows = localWorkflows(env, (error) => log(`privatelink: background execution failed: ${describe(error)}`));
  const secret = options.slackSigningSecret ?? process.env.SLACK_SIGNING_SECRET;
  const background = new Set<Promise<unknown>>();
  const slackDeps: SlackDeps = {
    workflows,
    signingSecret: async () => secret ?? '',
    profiles: options.slack?.profiles ?? SLACK_PROFILES,
    post: options.slack?.post ?? postToSlack,
    background: (work) => {
      const tracked = work.catch((error) => log(`privatelink: Slack follow-up failed: ${describe(error)}`));
      background.add(tracked);
      void tracked.finally(() => background.delete(tracked));
    },
    logError: (error) => log(`privatelink: Slack command failed: ${describe(error)}`),
    // a signed request replayed within Slack's five minutes is answered once, across processes too
    replays: fileReplayStore(env.stateDir),
    ...(options.slack?.now && { now: options.slack.now }),
    ...(options.slack?.pollMs !== undefined && { pollMs: options.slack.pollMs }),
  };
  const slack = async (event: HttpEvent) =>
    secret
      ? handleSlackCommand(event, slackDeps)
      : json(503, errorBody('SlackNotConfigured', 'set SLACK_SIGNING_SECRET to answer Slack commands'));
  const handle = (event: HttpEvent) =>
    handleHttp(event, {
      workflows,
      slack,
      logError: (correlationId, error) => log(`privatelink: internal error ${correlationId}: ${describe(error)}`),
    });
  return { handle, workflows };
}
