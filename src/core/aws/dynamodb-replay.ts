// The Slack replay store in Lambda: containers share no file, so each signed request (timestamp,
// signature) is claimed once in a DynamoDB table, with a conditional PutItem that only the first claim
// passes, and a TTL attribute so the table forgets it after the signing window
// (src/slack/replay.ts ReplayStore; the table is in serverless.yml, PAY_PER_REQUEST, TTL on `expiresAt`).
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { AwsRequestError, TransientAwsError } from '../errors.ts';
import { awsCall, isAwsCode } from './translate-error.ts';

/** The table's key and TTL attribute (serverless.yml: KeySchema pk, TimeToLiveSpecification expiresAt). */
export const REPLAY_KEY_ATTRIBUTE = 'pk';
export const REPLAY_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Throttled at the table or the account: worth another try, like the codes translate-error.ts knows.
 * DynamoDB answers these with HTTP 400, so they are not server faults to the SDK.
 */
const THROTTLED = ['ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'ThrottlingException'];

let client: DynamoDBClient | undefined;

/** One client per module; region and endpoint from the standard chain (AWS_REGION, AWS_ENDPOINT_URL). */
export function dynamoDbClient(): DynamoDBClient {
  client ??= new DynamoDBClient({});
  return client;
}

export class DynamoDbReplayStore {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * true for the first claim of `key`; false when it was claimed before (ConditionalCheckFailedException).
   * `expiresAtSeconds` becomes the item's TTL: DynamoDB deletes it some time after, by which point the
   * signature no longer verifies, so a late deletion never lets a replay through.
   */
  async claim(
    key: { timestamp: string; signature: string },
    expiresAtSeconds: number,
    _nowSeconds: number,
  ): Promise<boolean> {
    try {
      await awsCall('PutItem', () =>
        this.dynamodb.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              [REPLAY_KEY_ATTRIBUTE]: { S: `${key.timestamp}:${key.signature}` },
              [REPLAY_TTL_ATTRIBUTE]: { N: String(Math.ceil(expiresAtSeconds)) },
            },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': REPLAY_KEY_ATTRIBUTE },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isAwsCode(error, 'ConditionalCheckFailedException')) return false;
      if (error instanceof AwsRequestError && THROTTLED.includes(error.code)) {
        const detail = (error.cause as { message?: unknown } | undefined)?.message;
        throw new TransientAwsError(error.code, 'PutItem', typeof detail === 'string' ? detail : error.code, {
          cause: error.cause,
        });
      }
      throw error;
    }
  }
}
