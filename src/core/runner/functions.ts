// The Lambda handler modules, by their logical names in serverless.yml: the local runner binds each
// Task to exactly the module Lambda runs.
export type Handler = (event: unknown) => Promise<unknown>;

export const FUNCTIONS: Record<string, () => Promise<{ handler: Handler }>> = {
  ensureEndpointService: () => import('../../../functions/ensure-endpoint-service.ts'),
  checkEndpointService: () => import('../../../functions/check-endpoint-service.ts'),
  checkConnectionStrings: () => import('../../../functions/check-connection-strings.ts'),
  finalizeAtlas: () => import('../../../functions/finalize-atlas.ts'),
  createInterfaceEndpoint: () => import('../../../functions/create-interface-endpoint.ts'),
  checkEndpoint: () => import('../../../functions/check-endpoint.ts'),
  acceptEndpointConnection: () => import('../../../functions/accept-endpoint-connection.ts'),
  upsertDnsRecords: () => import('../../../functions/upsert-dns-records.ts'),
  finalize: () => import('../../../functions/finalize.ts'),
  checkConsumerEndpoint: () => import('../../../functions/check-consumer-endpoint.ts'),
  finalizeConsumer: () => import('../../../functions/finalize-consumer.ts'),
  compensate: () => import('../../../functions/compensate.ts'),
  removeResources: () => import('../../../functions/remove-resources.ts'),
  notifySlack: () => import('../../../functions/notify-slack.ts'),
};
