// The Slack replay store in Lambda (src/core/aws/dynamodb-replay.ts) against aws-sdk-client-mock: the exact
// conditional PutItem, a replay refused (ConditionalCheckFailedException), throttling as a transient error,
// anything else as the AWS error it is; and through the slash command handler, a replay answered once.
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../src/core/app/http-event.ts';
import type { WorkflowPort } from '../../src/core/app/workflow-port.ts';
import { DynamoDbReplayStore } from '../../src/core/aws/dynamodb-replay.ts';
import { AwsRequestError, TransientAwsError } from '../../src/core/errors.ts';
import { handleSlackCommand } from '../../src/slack/commands.ts';
import { SLACK_PROFILES } from '../../src/slack/profiles.ts';
import { replayWindowEnd } from '../../src/slack/replay.ts';
import { rejection } from '../aws/setup.ts';
import { signedSlashCommand } from '../support/slack-command-event.ts';

const dynamoMock = mockClient(DynamoDBClient);
const TABLE = 'privatelink-automation-dev-slack-replays';
const KEY = { timestamp: '1767268800', signature: 'v0=5f1a' };

const store = () => new DynamoDbReplayStore(new DynamoDBClient({ region: 'us-east-1' }), TABLE);

function dynamoError(name: string, status = 400): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} from DynamoDB`,
  });
}

beforeEach(() => {
  dynamoMock.reset();
});

describe('DynamoDbReplayStore', () => {
  it('claims with one conditional PutItem: the key, the TTL at the end of the signing window', async () => {
    dynamoMock.on(PutItemCommand).resolves({});
    expect(await store().claim(KEY, replayWindowEnd(KEY.timestamp), 1767268801)).toBe(true);
    const calls = dynamoMock.commandCalls(PutItemCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: { pk: { S: '1767268800:v0=5f1a' }, expiresAt: { N: String(1767268800 + 300) } },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    });
  });

  it('a replay is refused: ConditionalCheckFailedException is false, not an error', async () => {
    dynamoMock
      .on(PutItemCommand)
      .resolvesOnce({})
      .rejects(
        new ConditionalCheckFailedException({
          $metadata: { httpStatusCode: 400 },
          message: 'The conditional request failed',
        }),
      );
    const replays = store();
    expect(await replays.claim(KEY, 1767269100, 1767268801)).toBe(true);
    expect(await replays.claim(KEY, 1767269100, 1767268802)).toBe(false);
    expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(2);
  });

  it('throttling is a TransientAwsError; a missing table or denied access is the AwsRequestError it is', async () => {
    dynamoMock.on(PutItemCommand).rejects(dynamoError('ProvisionedThroughputExceededException'));
    const throttled = await rejection(store().claim(KEY, 1767269100, 1767268801));
    expect(throttled).toBeInstanceOf(TransientAwsError);
    expect(throttled).toMatchObject({ code: 'ProvisionedThroughputExceededException' });
    expect((throttled as Error).message).toBe(
      'ProvisionedThroughputExceededException: ProvisionedThroughputExceededException from DynamoDB (PutItem)',
    );
    dynamoMock.on(PutItemCommand).rejects(dynamoError('InternalServerError', 500));
    expect(await rejection(store().claim(KEY, 1767269100, 1767268801))).toBeInstanceOf(TransientAwsError);
    dynamoMock.on(PutItemCommand).rejects(dynamoError('ResourceNotFoundException'));
    const missing = await rejection(store().claim(KEY, 1767269100, 1767268801));
    expect(missing).toBeInstanceOf(AwsRequestError);
    expect(missing).toMatchObject({ code: 'ResourceNotFoundException' });
  });
});

describe('the slash command over the DynamoDB store', () => {
  const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
  const NOW = Date.UTC(2026, 0, 1, 12);

  const signed = (text: string): HttpEvent => signedSlashCommand(SECRET, text, Math.floor(NOW / 1000));

  /** The Slack command's dependencies over the DynamoDB store; `asked` lists the results read. */
  function slackDeps() {
    const asked: string[] = [];
    const workflows = {
      getResult: async (id: string) => {
        asked.push(id);
        return { requestId: id, status: 'READY' };
      },
    } as unknown as WorkflowPort;
    const deps = {
      workflows,
      signingSecret: async () => SECRET,
      profiles: SLACK_PROFILES,
      post: async () => {},
      now: () => NOW,
      replays: store(),
    };
    return { asked, deps };
  }

  it('answers a signed request once: the replay gets a 401 and reaches no workflow', async () => {
    // the table as DynamoDB keeps it: a second put of one key fails its condition
    const items = new Set<string>();
    dynamoMock.on(PutItemCommand).callsFake(({ Item }) => {
      const key = Item.pk.S;
      if (items.has(key))
        throw new ConditionalCheckFailedException({
          $metadata: { httpStatusCode: 400 },
          message: 'The conditional request failed',
        });
      items.add(key);
      return {};
    });
    const { asked, deps } = slackDeps();
    const event = signed('status orders-db-app');
    expect((await handleSlackCommand(event, deps)).statusCode).toBe(200);
    const replay = await handleSlackCommand(event, deps);
    expect(replay.statusCode).toBe(401);
    expect(String(replay.body)).toContain('received already');
    expect(asked).toEqual(['orders-db-app']);
    expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(2);
  });

  it('a throttled replay store answers that nothing was started, and runs nothing', async () => {
    dynamoMock.on(PutItemCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ProvisionedThroughputExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const { asked, deps } = slackDeps();
    const answer = await handleSlackCommand(signed('status orders-db-app'), deps);
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(String(answer.body)).text).toContain('nothing was started');
    expect(asked).toEqual([]);
  });
});
