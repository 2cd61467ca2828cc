// Serverless always compiles the shared IamRoleLambdaExecution; with serverless-iam-roles-per-function every
// function gets its own role, so the shared one is assumed by nothing. Drop it, but only when unreferenced.
'use strict';

class DropUnusedDefaultRole {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.drop() };
  }

  drop() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const { IamRoleLambdaExecution: role, ...others } = template.Resources;
    if (!role) return;
    const rest = JSON.stringify({ ...template, Resources: others });
    if (!rest.includes('"IamRoleLambdaExecution"')) delete template.Resources.IamRoleLambdaExecution;
  }
}

module.exports = DropUnusedDefaultRole;
