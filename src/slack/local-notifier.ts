// The workflows' NotifySlack states, run locally (CLI and `serve`): posts go through the outbox in
// the state directory (outbox.ts), which says what reached Slack and what could not.
import type { LocalSlack } from '../core/app/local-integrations.ts';
import { buildNotifySlackHandler } from './notify.ts';
import { slackOutbox } from './outbox.ts';

export const localSlack: LocalSlack = (stateDir, now) => buildNotifySlackHandler(slackOutbox(stateDir, now).post);
