// The sandbox account and its seed, for the CLI, the local server and the tests.
export { awsError, DEFAULT_TIMING, type SandboxTiming, type SimContext, type SimService } from './context.ts';
export { EC2_OPERATIONS, type Ec2Inventory, Ec2Sim, type Ec2SimOptions, type Ec2State, emptyEc2State } from './ec2.ts';
export { DEFAULT_EPOCH_MS, type Inventory, Sandbox } from './sandbox.ts';
export {
  DEFAULT_SEED_PATH,
  loadSeed,
  parseSeed,
  type SandboxSeed,
  type SandboxSeedInput,
  SeedError,
} from './seed.ts';
