// The sandbox account, its simulated Atlas organization and its seed, for the CLI, the local server and the tests.
export {
  ATLAS_OPERATIONS,
  type AtlasAwsSide,
  type AtlasInventory,
  type AtlasOrg,
  type AtlasRequest,
  AtlasSim,
  type AtlasState,
  atlasRoute,
  emptyAtlasState,
  type PublicDnsRecord,
} from './atlas.ts';
export { type AtlasAnswer, FAULT_STATUS_CODES } from './atlas-errors.ts';
export { awsError, DEFAULT_TIMING, type SandboxTiming, type SimContext, type SimService } from './context.ts';
export { EC2_OPERATIONS, type Ec2Inventory, Ec2Sim, type Ec2SimOptions, type Ec2State, emptyEc2State } from './ec2.ts';
export { emptyRoute53State, Route53Sim, type Route53State } from './route53.ts';
export { DEFAULT_EPOCH_MS, type Inventory, ROUTE53_OPERATIONS, Sandbox } from './sandbox.ts';
export {
  DEFAULT_SEED_PATH,
  loadSeed,
  parseSeed,
  type SandboxSeed,
  type SandboxSeedInput,
  SeedError,
} from './seed.ts';
