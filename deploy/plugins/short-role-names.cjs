// IAM role names are global to the account and at most 64 characters. serverless-iam-roles-per-function names a
// function's role `<service>-<stage>-<function>-<region>[-lambdaRole]` and fails packaging when that is too long
// (createInterfaceEndpoint with `--stage prod --region ap-southeast-2` is 66). This gives every function that sets
// no `iamRoleStatementsName` (the plugin's own option) a name that always fits and stays readable:
//
//   <service>-<stage>-<function>, cut to 55 characters, then `-` and 8 hex digits of
//   sha256(<service>-<stage>-<region>-<function>)
//
// e.g. privatelink-automation-prod-createInterfaceEndpoint-3f0c9a1e. The hash keeps names unique across
// regions and stages even where the readable part is cut; every name starts with `<service>-`, the prefix the
// deployer's policy scopes iam:* to (docs/deploy.md).
'use strict';

const { createHash } = require('node:crypto');

const MAX_ROLE_NAME = 64;
const HASH_LENGTH = 8;

function shortRoleName({ service, stage, region, functionName }) {
  const readable = `${service}-${stage}-${functionName}`.slice(0, MAX_ROLE_NAME - HASH_LENGTH - 1);
  const hash = createHash('sha256')
    .update(`${service}-${stage}-${region}-${functionName}`)
    .digest('hex')
    .slice(0, HASH_LENGTH);
  return `${readable}-${hash}`;
}

class ShortRoleNames {
  constructor(serverless) {
    this.serverless = serverless;
    // Before serverless-iam-roles-per-function builds the roles (before:package:finalize).
    this.hooks = { 'after:package:compileEvents': () => this.name() };
  }

  name() {
    const provider = this.serverless.getProvider('aws');
    const service = this.serverless.service.service;
    const stage = provider.getStage();
    const region = provider.getRegion();
    for (const [functionName, fn] of Object.entries(this.serverless.service.functions ?? {}))
      fn.iamRoleStatementsName ??= shortRoleName({ service, stage, region, functionName });
  }
}

module.exports = ShortRoleNames;
module.exports.shortRoleName = shortRoleName;
