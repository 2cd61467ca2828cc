// One cold acknowledgement: a fresh process loads the slackCommand Lambda's module (the middy stack with
// Powertools parser, logger and tracer, and the SDK clients it bundles), answers one signed
// `/privatelink status` request (an HTTP API v2 event, with a Lambda context) over an in-memory workflow
// port, and prints the status and timings.
const loadStart = performance.now();
const { buildSlackCommandHandler } = await import('../functions/slack-command.ts');
const { slackSignature } = await import('../src/slack/signature.ts');
const loadedAt = performance.now();

const secret = 'bench-secret';
const body = new URLSearchParams({
  command: '/privatelink',
  text: 'status cluster0-app-prod',
  response_url: 'https://hooks.slack.com/commands/T1/2/bench',
}).toString();
const timestamp = String(Math.floor(Date.now() / 1000));
const handler = buildSlackCommandHandler({
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
});
const response = await handler(
  {
    version: '2.0',
    routeKey: 'POST /slack/commands',
    rawPath: '/slack/commands',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '111122223333',
      apiId: 'bench',
      domainName: 'bench.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'bench',
      http: {
        method: 'POST',
        path: '/slack/commands',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'Slackbot',
      },
      requestId: 'bench-request',
      routeKey: 'POST /slack/commands',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  } as Parameters<typeof handler>[0],
  {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'privatelink-automation-bench-slackCommand',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:privatelink-automation-bench-slackCommand',
    memoryLimitInMB: '256',
    awsRequestId: 'bench',
    logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  },
);
const answeredAt = performance.now();
process.stdout.write(
  `${JSON.stringify({ statusCode: response.statusCode, loadMs: loadedAt - loadStart, handleMs: answeredAt - loadedAt })}\n`,
);
