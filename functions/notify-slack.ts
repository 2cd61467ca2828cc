// Lambda: the NotifySlack states of the provisioning workflow. Posts the final result to the request's
// notify.slackResponseUrl (https://hooks.slack.com/ only); calls no AWS API.

import { withObservability } from '../src/core/observability.ts';
import { buildNotifySlackHandler } from '../src/slack/notify.ts';
import { postToSlack } from '../src/slack/post.ts';

export const handler = withObservability(buildNotifySlackHandler(postToSlack), { name: 'notifySlack' });
