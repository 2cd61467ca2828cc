// The packaged CloudFormation template, as a reviewer reads it: every function and workflow present,
// retries on every Lambda task, one least-privilege role per function, small artifacts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../src/core/runner/functions.ts';
import {
  type CfnResource,
  logicalName,
  type Packaged,
  packageService,
  pascal,
  ROOT,
  resourcesOfType,
} from './packaged.ts';
import { type RecordedCalls, recordWorkflowCalls } from './recorded-calls.ts';

const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
];
const MAX_ZIP_BYTES = 400 * 1024;

const functionFiles = readdirSync(join(ROOT, 'functions')).filter((f) => f.endsWith('.ts'));
const workflowFiles = readdirSync(join(ROOT, 'statemachines')).filter((f) => f.endsWith('.asl.json'));

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function statementsOf(role: CfnResource): Statement[] {
  const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

function actionsOf(role: CfnResource): string[] {
  return statementsOf(role).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

function getAttTarget(value: unknown): string | undefined {
  const att = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(att) && typeof att[0] === 'string' ? att[0] : undefined;
}

/** The deployed definition: DefinitionString's Fn::Sub with each placeholder mapped to the resource it names. */
function deployedDefinition(machine: CfnResource): { definition: Record<string, unknown>; tasks: string[] } {
  const definitionString = machine.Properties?.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] };
  const [text, vars] = definitionString['Fn::Sub'];
  const resolved = text.replace(/\$\{([0-9a-f]+)\}/g, (_, key: string) => `GETATT:${getAttTarget(vars[key]) ?? key}`);
  const definition = JSON.parse(resolved) as Record<string, unknown>;
  const tasks = Object.values(vars)
    .map(getAttTarget)
    .filter((t): t is string => t !== undefined);
  return { definition, tasks };
}

/** The SDK commands each adapter can send, as IAM actions (`ec2:DescribeVpcEndpoints`). */
function adapterActions(): Set<string> {
  const prefixes: Record<string, string> = {
    'client-ec2': 'ec2',
    'client-route-53': 'route53',
    'client-sfn': 'states',
    'client-eventbridge': 'events',
    'client-ssm': 'ssm',
    'client-secrets-manager': 'secretsmanager',
    'client-dynamodb': 'dynamodb',
  };
  const actions = new Set<string>();
  const files = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.ts') && !f.includes('sandbox'),
  );
  for (const file of files) {
    const source = readFileSync(join(ROOT, 'src', file), 'utf8');
    for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      const prefix = prefixes[match[2] ?? ''];
      if (!prefix) continue;
      for (const name of (match[1] ?? '').split(','))
        if (/^\s*\w+Command\s*$/.test(name)) actions.add(`${prefix}:${name.trim().replace(/Command$/, '')}`);
    }
  }
  return actions;
}

/** Actions AWS authorizes alongside the commands, not commands themselves. */
const IMPLIED = new Set([
  'ec2:CreateTags', // TagSpecifications on CreateVpcEndpoint, CreateVpcEndpointServiceConfiguration, AuthorizeSecurityGroupIngress
  'ec2:DescribeVpcs', // Route 53 checks the VPC of a private hosted zone
  'xray:PutTraceSegments', // active tracing
  'xray:PutTelemetryRecords',
  'logs:CreateLogStream', // the function's own log group
  'logs:CreateLogGroup',
  'logs:PutLogEvents',
  'sqs:SendMessage', // an asynchronous invocation's on-failure destination: Lambda sends with the function's role
]);

/** The Lambdas EventBridge rules invoke (asynchronously). */
const EVENT_FUNCTIONS = ['startFromEvent', 'publishTerminalFailure'];

/** Functions whose code sends no AWS command. */
const CALLS_NO_AWS = new Set(['notifySlack']);

let packaged: Packaged;
beforeAll(async () => {
  packaged = await packageService();
}, 180_000);
afterAll(async () => {
  await packaged?.cleanup();
});

function lambdas() {
  return resourcesOfType(packaged.template, 'AWS::Lambda::Function');
}

function lambdaOf(name: string): CfnResource | undefined {
  return packaged.template.Resources[`${pascal(name)}LambdaFunction`];
}

function roleOf(name: string): CfnResource | undefined {
  const roleId = getAttTarget(lambdaOf(name)?.Properties?.Role);
  return roleId ? packaged.template.Resources[roleId] : undefined;
}

describe('packaging', () => {
  // Packaging runs offline without credentials (beforeAll); how long it takes is the bench's business.
  it.each(functionFiles)('functions/%s is a Lambda in the template', (file) => {
    const name = logicalName(file);
    const fn = lambdaOf(name);
    expect(fn, `serverless.yml has no function ${name} for functions/${file}`).toBeDefined();
    expect(fn?.Properties?.Handler).toBe(`functions/${file.replace(/\.ts$/, '')}.handler`);
    expect(fn?.Properties?.Runtime).toBe('nodejs22.x');
    expect(fn?.Properties?.Architectures).toEqual(['arm64']);
    expect(fn?.Properties?.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('deploys exactly the functions the local runner binds (src/core/runner/functions.ts)', () => {
    const deployed = lambdas().map(([id]) => id);
    for (const name of Object.keys(FUNCTIONS)) expect(deployed).toContain(`${pascal(name)}LambdaFunction`);
  });

  it.each(workflowFiles)('statemachines/%s is a state machine in the template', (file) => {
    const source = JSON.parse(readFileSync(join(ROOT, 'statemachines', file), 'utf8')) as {
      States: Record<string, unknown>;
    };
    const machines = resourcesOfType(packaged.template, 'AWS::StepFunctions::StateMachine');
    const match = machines.find(([, machine]) => {
      const { definition } = deployedDefinition(machine);
      return JSON.stringify(Object.keys(definition.States as object)) === JSON.stringify(Object.keys(source.States));
    });
    expect(match, `no state machine in the template has the states of ${file}`).toBeDefined();
  });

  it.each(functionFiles.map(logicalName))('the %s zip is at most 400 KB', (name) => {
    const bytes = packaged.zips[name];
    expect(bytes, `no ${name}.zip`).toBeDefined();
    expect(bytes).toBeLessThanOrEqual(MAX_ZIP_BYTES);
  });
});

describe('state machines', () => {
  function machines() {
    return resourcesOfType(packaged.template, 'AWS::StepFunctions::StateMachine');
  }

  it('every Lambda task retries the five transient Lambda errors, every step task TransientAwsError too', () => {
    let tasks = 0;
    for (const [id, machine] of machines()) {
      const { definition } = deployedDefinition(machine);
      for (const [stateName, state] of Object.entries(definition.States as Record<string, Record<string, unknown>>)) {
        const lambdaTask = /^GETATT:|^arn:aws:states:::lambda:invoke/.test(String(state.Resource));
        if (state.Type !== 'Task' || !lambdaTask) continue;
        tasks++;
        const retried = ((state.Retry ?? []) as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
        // Step Lambdas (direct ARN) throw the adapters' TransientAwsError; lambda:invoke.waitForTaskToken
        // hand-offs (WaitForConsumer) call no step and only need the Lambda service's own transient errors.
        const stepTask = String(state.Resource).startsWith('GETATT:');
        for (const error of [...LAMBDA_TRANSIENT_ERRORS, ...(stepTask ? ['TransientAwsError'] : [])])
          expect(retried, `${id}.${stateName} does not retry ${error}`).toContain(error);
      }
    }
    expect(tasks).toBeGreaterThanOrEqual(Object.keys(FUNCTIONS).length);
  });

  it('log to their own CloudWatch log group, without execution data, and trace with X-Ray', () => {
    for (const [id, machine] of machines()) {
      const logging = machine.Properties?.LoggingConfiguration as {
        Level: string;
        IncludeExecutionData: boolean;
        Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[];
      };
      expect(logging?.Level, id).toBe('ERROR');
      // inputs carry notify.slackResponseUrl, which must not reach the logs
      expect(logging.IncludeExecutionData, id).toBe(false);
      const group = getAttTarget(logging.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn);
      expect(packaged.template.Resources[group ?? '']?.Type).toBe('AWS::Logs::LogGroup');
      expect(machine.Properties?.TracingConfiguration).toEqual({ Enabled: true });
    }
  });

  it('each role invokes only the functions of its own definition', () => {
    for (const [, machine] of machines()) {
      const { tasks } = deployedDefinition(machine);
      const role = packaged.template.Resources[getAttTarget(machine.Properties?.RoleArn) ?? ''];
      expect(role?.Type).toBe('AWS::IAM::Role');
      const invoke = statementsOf(role as CfnResource).filter((s) =>
        [s.Action].flat().includes('lambda:InvokeFunction'),
      );
      const invoked = new Set(
        invoke.flatMap((s) =>
          [s.Resource].flat().map((r) => JSON.stringify(r).match(/"([A-Za-z0-9]+LambdaFunction)"/)?.[1]),
        ),
      );
      expect([...invoked].sort()).toEqual([...new Set(tasks)].sort());
    }
  });
});

describe('IAM', () => {
  it('gives every function a role of its own', () => {
    const roles = lambdas().map(([, fn]) => getAttTarget(fn.Properties?.Role));
    expect(roles.every((r) => r && packaged.template.Resources[r]?.Type === 'AWS::IAM::Role')).toBe(true);
    expect(new Set(roles).size).toBe(roles.length);
    expect(packaged.template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('grants no wildcard action anywhere', () => {
    const roles = resourcesOfType(packaged.template, 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(0);
    for (const [id, role] of roles)
      for (const action of actionsOf(role)) expect(action, `${id} grants ${action}`).not.toMatch(/\*/);
  });

  it.each(functionFiles.map(logicalName))('%s may only call what its adapters send', (name) => {
    const allowed = adapterActions();
    const role = roleOf(name);
    expect(role).toBeDefined();
    const actions = actionsOf(role as CfnResource);
    const extra = actions.filter((a) => !allowed.has(a) && !IMPLIED.has(a));
    expect(extra, `${name} is granted actions no adapter sends`).toEqual([]);
    // notifySlack posts to hooks.slack.com and calls no AWS API: logs and tracing only.
    expect(
      actions.some((a) => allowed.has(a)),
      `${name} is granted none of the commands it sends`,
    ).toBe(!CALLS_NO_AWS.has(name));
  });

  it('scopes Route 53 zone actions to hosted zones and GetChange to changes', () => {
    for (const name of functionFiles.map(logicalName)) {
      for (const statement of statementsOf(roleOf(name) as CfnResource)) {
        const actions = [statement.Action].flat();
        const resource = JSON.stringify(statement.Resource);
        if (actions.some((a) => /^route53:(GetHostedZone|ChangeResourceRecordSets|DeleteHostedZone)$/.test(a)))
          expect(resource, name).toContain(':route53:::hostedzone/*');
        if (actions.includes('route53:GetChange')) expect(resource, name).toContain(':route53:::change/*');
      }
    }
  });

  it('requires the request-id tag on every EC2 create and change', () => {
    const guarded =
      /^ec2:(Create(VpcEndpoint|VpcEndpointServiceConfiguration)|Delete\w+|Accept\w+|Reject\w+|Modify\w+)$/;
    for (const name of Object.keys(FUNCTIONS)) {
      for (const statement of statementsOf(roleOf(name) as CfnResource)) {
        const actions = [statement.Action].flat().filter((a) => guarded.test(a));
        if (actions.length === 0) continue;
        const resources = JSON.stringify(statement.Resource);
        // CreateVpcEndpoint also names the VPC, subnets and groups it uses: those are the user's, untagged.
        if (!/vpc-endpoint\/\*|vpc-endpoint-service\/\*"?\}?$/.test(resources) || /:vpc\/\*/.test(resources)) continue;
        expect(JSON.stringify(statement.Condition ?? {}), `${name}: ${actions.join(', ')}`).toMatch(
          /aws:(Request|Resource)Tag\/privatelink:request-id/,
        );
      }
    }
  });

  it('puts no secret in a plain environment variable', () => {
    for (const [id, fn] of lambdas()) {
      const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
      for (const [key, value] of Object.entries(variables ?? {}))
        if (/SECRET|TOKEN|PASSWORD/.test(key))
          // An SSM parameter's name (/…) or a Secrets Manager secret's name under the project's prefix.
          expect(String(value), `${id}.${key} must name a parameter, not hold the secret`).toMatch(
            /^(\/|privatelink-automation\/)/,
          );
    }
  });
});

describe('events', () => {
  function putEventsResources(role: CfnResource | undefined): string[] {
    return statementsOf(role as CfnResource)
      .filter((s) => [s.Action].flat().includes('events:PutEvents'))
      .flatMap((s) => [s.Resource].flat().map((r) => JSON.stringify(r)));
  }

  function ruleTargeting(fn: string): CfnResource {
    const rules = resourcesOfType(packaged.template, 'AWS::Events::Rule').filter(([, rule]) =>
      ((rule.Properties?.Targets ?? []) as { Arn: unknown }[]).some((t) => getAttTarget(t.Arn) === fn),
    );
    expect(rules, `rules targeting ${fn}`).toHaveLength(1);
    return (rules[0] as [string, CfnResource])[1];
  }

  it('a Cluster Created rule (source and detail-type) targets the starter Lambda, never the state machine', () => {
    const rule = ruleTargeting('StartFromEventLambdaFunction');
    // the default bus: CloudFormation's default when EventBusName is absent
    expect(rule.Properties?.EventBusName ?? 'default').toBe('default');
    // source and detail-type both: a detail-type alone lets anyone who may put an event on the bus start it.
    expect(rule.Properties?.EventPattern).toEqual({
      source: ['cluster.provisioner'],
      'detail-type': ['Cluster Created'],
    });
    expect(rule.Properties?.Name).toBe('privatelink-automation-dev-cluster-created');
    for (const [, other] of resourcesOfType(packaged.template, 'AWS::Events::Rule'))
      for (const target of (other.Properties?.Targets ?? []) as { Arn: unknown }[])
        expect(JSON.stringify(target.Arn)).not.toContain('StateMachine');
  });

  it("every rule's target retries within an hour, then keeps the event in the dead-letter queue", () => {
    const rules = resourcesOfType(packaged.template, 'AWS::Events::Rule');
    expect(rules.length).toBeGreaterThan(0);
    for (const [id, rule] of rules) {
      const [target] = (rule.Properties?.Targets ?? []) as Record<string, unknown>[];
      expect(target?.RetryPolicy, id).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 });
      expect(getAttTarget((target?.DeadLetterConfig as { Arn?: unknown } | undefined)?.Arn), id).toBe(
        'UndeliveredEventsQueue',
      );
      expect(String(rule.Properties?.Name), id).toMatch(/^privatelink-automation-dev-/);
    }
  });

  it('each event Lambda retries a failed invocation twice within the hour, then records it in the queue', () => {
    const configs = resourcesOfType(packaged.template, 'AWS::Lambda::EventInvokeConfig');
    const byFunction = new Map(
      configs.map(
        ([, c]) => [(c.Properties?.FunctionName as { Ref?: string } | undefined)?.Ref, c.Properties] as const,
      ),
    );
    for (const fn of EVENT_FUNCTIONS) {
      const config = byFunction.get(`${pascal(fn)}LambdaFunction`);
      expect(config, fn).toBeDefined();
      expect(config?.MaximumRetryAttempts, fn).toBe(2);
      expect(config?.MaximumEventAgeInSeconds, fn).toBe(3600);
      const onFailure = (config?.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure;
      expect(getAttTarget(onFailure?.Destination), fn).toBe('UndeliveredEventsQueue');
    }
  });

  it("the queue lets EventBridge send only for this stage's rules, and keeps messages 14 days, encrypted", () => {
    const queue = packaged.template.Resources.UndeliveredEventsQueue;
    expect(queue?.Type).toBe('AWS::SQS::Queue');
    expect(queue?.Properties?.MessageRetentionPeriod).toBe(1209600);
    expect(queue?.Properties?.SqsManagedSseEnabled).toBe(true);
    const policies = resourcesOfType(packaged.template, 'AWS::SQS::QueuePolicy');
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0] as [string, CfnResource];
    expect(policy.Properties?.Queues).toEqual([{ Ref: 'UndeliveredEventsQueue' }]);
    const statements =
      (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] } | undefined)?.Statement ?? [];
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement?.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(statement?.Action).toBe('sqs:SendMessage');
    expect(getAttTarget(statement?.Resource)).toBe('UndeliveredEventsQueue');
    const sources = JSON.stringify(statement?.Condition);
    expect(sources).toContain('ArnLike');
    expect(sources).toContain(':rule/privatelink-automation-dev-*');
  });

  it("a rule on Step Functions' status changes of both workflows (FAILED, TIMED_OUT, ABORTED) targets the publisher", () => {
    const rule = ruleTargeting('PublishTerminalFailureLambdaFunction');
    expect(rule.Properties?.EventBusName ?? 'default').toBe('default');
    expect(rule.Properties?.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        stateMachineArn: [{ Ref: 'ProvisionStateMachine' }, { Ref: 'TeardownStateMachine' }],
      },
    });
    const role = roleOf('publishTerminalFailure') as CfnResource;
    expect(
      actionsOf(role)
        .filter((a) => !/^(logs|xray):/.test(a))
        .sort(),
    ).toEqual(['events:PutEvents', 'sqs:SendMessage']);
  });

  it('the starter may start and read only provisioning executions, put only Failed events on our buses, send only to the queue', () => {
    const role = roleOf('startFromEvent') as CfnResource;
    const byAction = (action: string) =>
      statementsOf(role)
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => [s.Resource].flat().map((r) => JSON.stringify(r)));
    expect(
      actionsOf(role)
        .filter((a) => !/^(logs|xray):/.test(a))
        .sort(),
    ).toEqual([
      'events:PutEvents',
      // the check of the request's DNS names before its first execution: read-only
      'route53:GetHostedZone',
      'route53:ListHostedZonesByName',
      'route53:ListResourceRecordSets',
      'sqs:SendMessage',
      'states:DescribeExecution',
      'states:StartExecution',
    ]);
    expect(byAction('states:StartExecution')).toEqual([
      expect.stringMatching(/:stateMachine:privatelink-provision-dev"/),
    ]);
    expect(byAction('states:DescribeExecution')).toEqual([
      expect.stringMatching(/:execution:privatelink-provision-dev:\*"/),
    ]);
    for (const resource of byAction('events:PutEvents')) expect(resource).toMatch(/:event-bus\/default"/);
    expect(byAction('sqs:SendMessage')).toEqual(['{"Fn::GetAtt":["UndeliveredEventsQueue","Arn"]}']);
  });

  it('both workflows may put events on the default bus and the configured one, and nowhere else', () => {
    for (const id of ['ProvisionStateMachine', 'TeardownStateMachine']) {
      const machine = packaged.template.Resources[id] as CfnResource;
      const role = packaged.template.Resources[getAttTarget(machine.Properties?.RoleArn) ?? ''];
      const resources = putEventsResources(role);
      expect(resources.length, id).toBeGreaterThan(0);
      for (const resource of resources) expect(resource, id).toMatch(/:event-bus\/(\$\{eventBus\}|default)"/);
      expect(resources.join(' '), id).toContain('"eventBus":"default"');
    }
  });

  it('publishes through the Step Functions integration, never a Lambda', () => {
    const published: string[] = [];
    for (const [, machine] of resourcesOfType(packaged.template, 'AWS::StepFunctions::StateMachine')) {
      const { definition } = deployedDefinition(machine);
      for (const state of Object.values(definition.States as Record<string, Record<string, unknown>>))
        if (state.Resource === 'arn:aws:states:::events:putEvents') {
          const entries = (state.Parameters as { Entries: { DetailType: string; Source: string }[] }).Entries;
          for (const entry of entries) published.push(`${entry.Source}: ${entry.DetailType}`);
        }
    }
    expect([...new Set(published)].sort()).toEqual([
      'privatelink: Private Endpoint Deleted',
      'privatelink: Private Endpoint Failed',
      'privatelink: Private Endpoint Ready',
    ]);
  });
});

describe('the Slack replay store', () => {
  it('is a PAY_PER_REQUEST table keyed by pk, with TTL on expiresAt, encrypted', () => {
    const table = packaged.template.Resources.SlackReplayTable;
    expect(table?.Type).toBe('AWS::DynamoDB::Table');
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('slackCommand names it and may only PutItem on it; no other function may touch DynamoDB', () => {
    const environment = lambdaOf('slackCommand')?.Properties?.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined;
    const variables = environment?.Variables ?? {};
    expect(variables.SLACK_REPLAY_TABLE_NAME).toEqual({ Ref: 'SlackReplayTable' });
    for (const name of functionFiles.map(logicalName)) {
      const dynamo = statementsOf(roleOf(name) as CfnResource).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('dynamodb:')),
      );
      if (name !== 'slackCommand') {
        expect(dynamo, name).toEqual([]);
        continue;
      }
      expect(dynamo).toEqual([
        { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: { 'Fn::GetAtt': ['SlackReplayTable', 'Arn'] } },
      ]);
    }
  });
});

/** What AWS authorizes alongside a call, as its documentation says (tag-on-create, Route 53's VPC checks). */
const AUTHORIZED_WITH: Record<string, string[]> = {
  'ec2:CreateVpcEndpoint': ['ec2:CreateTags'],
  'ec2:CreateVpcEndpointServiceConfiguration': ['ec2:CreateTags'],
  'ec2:AuthorizeSecurityGroupIngress': ['ec2:CreateTags'],
  // CreateHostedZone with a VPC associates it: Route 53 checks the VPC and AssociateVPCWithHostedZone.
  'route53:CreateHostedZone': ['ec2:DescribeVpcs', 'route53:AssociateVPCWithHostedZone'],
};

describe('IAM covers every call (each example provisioned and torn down on the sandbox)', () => {
  let recorded: RecordedCalls;
  beforeAll(async () => {
    recorded = await recordWorkflowCalls();
  }, 120_000);

  it("attributes every call to the function that made it, but the other party's own endpoint", () => {
    expect(recorded.runs.length).toBeGreaterThan(4);
    expect(Object.keys(FUNCTIONS)).toEqual(expect.arrayContaining(Object.keys(recorded.byFunction)));
    expect([...recorded.outside]).toEqual(['ec2:CreateVpcEndpoint']);
  });

  it.each(Object.keys(FUNCTIONS))('%s is granted every action it called', (name) => {
    const called = [...(recorded.byFunction[name] ?? [])].sort();
    const granted = new Set(actionsOf(roleOf(name) as CfnResource));
    if (called.length === 0) {
      // Never seen calling AWS (e.g. notifySlack, which posts to Slack): then it may only trace and log.
      const grants = [...granted].filter((action) => !/^(xray|logs):/.test(action));
      expect(grants, `${name} made no AWS call in: ${recorded.runs.join('; ')}`).toEqual([]);
      return;
    }
    const needed = [...new Set([...called, ...called.flatMap((action) => AUTHORIZED_WITH[action] ?? [])])];
    expect(
      needed.filter((action) => !granted.has(action)),
      `${name} calls ${called.join(', ')}`,
    ).toEqual([]);
  });
});

describe('names with a long stage and region (--stage production-eu --region ap-southeast-2)', () => {
  const MAX_NAME = 64;
  let long: Packaged;
  beforeAll(async () => {
    long = await packageService(['--stage', 'production-eu', '--region', 'ap-southeast-2']);
  }, 180_000);
  afterAll(async () => {
    await long?.cleanup();
  });

  it('names every function role within 64 characters, uniquely, under the service prefix', () => {
    const functionRoles = resourcesOfType(long.template, 'AWS::Lambda::Function').map(
      ([id, fn]) => [id, long.template.Resources[getAttTarget(fn.Properties?.Role) ?? '']] as const,
    );
    expect(functionRoles.length).toBeGreaterThanOrEqual(functionFiles.length);
    const names = functionRoles.map(([id, role]) => {
      const name = role?.Properties?.RoleName;
      expect(typeof name, `${id}'s role has no literal RoleName`).toBe('string');
      return String(name);
    });
    for (const name of names) {
      expect(name.length, name).toBeLessThanOrEqual(MAX_NAME);
      // The deployer's policy scopes IAM to role/privatelink-automation-* (docs/deploy.md).
      expect(name).toMatch(/^privatelink-automation-production-eu-[\w+=,.@-]+$/);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('names no other role beyond 64 characters (unnamed roles get a name CloudFormation keeps within 64)', () => {
    for (const [id, role] of resourcesOfType(long.template, 'AWS::IAM::Role')) {
      const name = role.Properties?.RoleName;
      if (name === undefined) continue;
      expect(typeof name, `${id}: a RoleName built at deploy time cannot be checked here`).toBe('string');
      expect(String(name).length, id).toBeLessThanOrEqual(MAX_NAME);
    }
  });

  it('keeps every Lambda function name within 64 characters', () => {
    for (const [id, fn] of resourcesOfType(long.template, 'AWS::Lambda::Function'))
      expect(String(fn.Properties?.FunctionName).length, id).toBeLessThanOrEqual(MAX_NAME);
  });
});
