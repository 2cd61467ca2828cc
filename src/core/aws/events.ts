// EventBridge PutEvents for the Lambdas that publish the contract's events themselves (the Cluster
// Created starter when it refuses an event, the terminal-failure publisher): source `privatelink`,
// detail = the result, on the request's bus when the deployment lets us put events there.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ProvisionResult } from '../domain/result.ts';
import { awsCall, codedError } from './translate-error.ts';

let client: EventBridgeClient | undefined;

/** One client per module; region and endpoint from the standard chain (AWS_REGION, AWS_ENDPOINT_URL). */
export function eventBridgeClient(): EventBridgeClient {
  client ??= new EventBridgeClient({});
  return client;
}

export const EVENT_SOURCE = 'privatelink';
export const FAILED_DETAIL_TYPE = 'Private Endpoint Failed';

export interface PublishedEvent {
  detailType: string;
  detail: ProvisionResult;
  eventBusName: string;
  /** ARNs the event is about (the execution, its state machine) */
  resources?: string[];
}

/**
 * Puts one event; returns its id. A failed entry (PutEvents answers 200 with FailedEntryCount) is an
 * error like any other: TransientAwsError for EventBridge's throttling and internal codes, else AwsRequestError.
 */
export async function putResultEvent(client: EventBridgeClient, event: PublishedEvent): Promise<string> {
  const out = await awsCall('PutEvents', () =>
    client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: EVENT_SOURCE,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
            EventBusName: event.eventBusName,
            ...(event.resources && event.resources.length > 0 && { Resources: event.resources }),
          },
        ],
      }),
    ),
  );
  const [entry] = out.Entries ?? [];
  if ((out.FailedEntryCount ?? 0) > 0 || !entry?.EventId)
    throw codedError(
      entry?.ErrorCode ?? 'FailedEntry',
      'PutEvents',
      entry?.ErrorMessage ?? 'EventBridge did not accept the event',
    );
  return entry.EventId;
}

/**
 * The buses the deployment lets the workflows put events on: `default` and the configured one
 * (serverless.yml param eventBusName). A request naming another bus gets no event, as from the workflow.
 */
export function permittedBus(requested: string | undefined, configured: string | undefined): string | undefined {
  const bus = requested ?? 'default';
  return bus === 'default' || bus === (configured?.trim() || 'default') ? bus : undefined;
}
