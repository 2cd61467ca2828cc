// One cold acknowledgement: a fresh process loads the Slack handler, answers one signed
// `/privatelink status` request over an in-memory workflow port, and prints the status and timings.
const loadStart = performance.now();
const { handleSlackCommand } = await import('../src/slack/commands.ts');
const { slackSignature } = await import('../src/slack/signature.ts');
const loadedAt = performance.now();

const secret = 'bench-secret';
const body = new URLSearchParams({
  command: '/privatelink',
  text: 'status cluster0-app-prod',
  response_url: 'https://hooks.slack.com/commands/T1/2/bench',
}).toString();
const timestamp = String(Math.floor(Date.now() / 1000));
const response = await handleSlackCommand(
  {
    rawPath: '/slack/commands',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body,
    requestContext: { http: { method: 'POST' } },
  },
  {
    signingSecret: async () => secret,
    profiles: {},
    post: async () => {},
    workflows: {
      getResult: async (requestId) => ({ requestId, status: 'READY', connectionStrings: { url: 'https://x' } }),
      startProvision: async () => {
        throw new Error('unused');
      },
      listResults: async () => ({ items: [] }),
      startTeardown: async () => undefined,
      finalize: async () => {},
    },
  },
);
const answeredAt = performance.now();
process.stdout.write(
  `${JSON.stringify({ statusCode: response.statusCode, loadMs: loadedAt - loadStart, handleMs: answeredAt - loadedAt })}\n`,
);
