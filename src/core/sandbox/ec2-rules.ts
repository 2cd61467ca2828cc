// Security group ingress rules. The groups themselves come from the seed; the rules are ours.
import type {
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  IpPermission,
  RevokeSecurityGroupIngressRequest,
  RevokeSecurityGroupIngressResult,
  SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import {
  applyFilters,
  ec2Fail,
  mergeTags,
  page,
  pickByIds,
  required,
  tagList,
  tagsFromSpecifications,
} from './ec2-shared.ts';
import type { Ec2World, RuleRecord } from './ec2-state.ts';
import { parseIpv4 } from './sandbox-net.ts';

const PROTOCOLS: Record<string, string> = {
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
};

function checkGroup(w: Ec2World, groupId: string, region: string): void {
  const group = w.groups.get(groupId);
  // Another account's group (a hand-off partner's VPC) is unknown to the sandbox account.
  if (!group || group.region !== region || group.accountId !== w.ctx.accountId)
    ec2Fail('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
}

type RuleShape = Omit<RuleRecord, 'ruleId' | 'tags' | 'region'>;

/** One rule per source of each permission, as EC2 splits them. */
function expand(w: Ec2World, groupId: string, permissions: IpPermission[], region: string): RuleShape[] {
  return permissions.flatMap((p) => {
    const raw = (p.IpProtocol ?? '').toLowerCase();
    const ipProtocol =
      raw === '-1' || raw === 'all' ? '-1' : Object.hasOwn(PROTOCOLS, raw) ? PROTOCOLS[raw] : undefined;
    if (!ipProtocol)
      ec2Fail('InvalidParameterValue', `Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
    let fromPort = p.FromPort ?? -1;
    let toPort = p.ToPort ?? -1;
    if (ipProtocol === '-1') {
      fromPort = -1;
      toPort = -1;
    } else if (ipProtocol !== 'icmp') {
      if (p.FromPort === undefined || p.ToPort === undefined)
        ec2Fail(
          'InvalidParameterValue',
          'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.',
        );
      if (fromPort < 0 || toPort > 65535 || fromPort > toPort)
        ec2Fail(
          'InvalidParameterValue',
          `Invalid value for portRange. Must be 0-65535 with from <= to (${fromPort}-${toPort}).`,
        );
    }
    if (p.Ipv6Ranges?.length || p.PrefixListIds?.length)
      ec2Fail('InvalidParameterValue', 'The sandbox supports only UserIdGroupPairs and IpRanges sources');
    const rules: RuleShape[] = [];
    for (const pair of p.UserIdGroupPairs ?? []) {
      const sourceGroupId = required(pair.GroupId, 'UserIdGroupPairs.GroupId');
      checkGroup(w, sourceGroupId, region);
      rules.push({
        groupId,
        ipProtocol,
        fromPort,
        toPort,
        sourceGroupId,
        ...(pair.Description && { description: pair.Description }),
      });
    }
    for (const range of p.IpRanges ?? []) {
      const cidrIpv4 = required(range.CidrIp, 'IpRanges.CidrIp');
      const [address = '', prefix = ''] = cidrIpv4.split('/');
      if (parseIpv4(address) === undefined || !/^\d{1,2}$/.test(prefix) || Number(prefix) > 32)
        ec2Fail('InvalidParameterValue', `CIDR block ${cidrIpv4} is malformed`);
      rules.push({
        groupId,
        ipProtocol,
        fromPort,
        toPort,
        cidrIpv4,
        ...(range.Description && { description: range.Description }),
      });
    }
    if (rules.length === 0)
      ec2Fail('MissingParameter', 'Each IpPermission needs a source (UserIdGroupPairs or IpRanges)');
    return rules;
  });
}

function sameRule(a: RuleShape, b: RuleShape): boolean {
  return (
    a.groupId === b.groupId &&
    a.ipProtocol === b.ipProtocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    a.sourceGroupId === b.sourceGroupId &&
    a.cidrIpv4 === b.cidrIpv4
  );
}

function describeRule(w: Ec2World, r: RuleRecord): SecurityGroupRule {
  return {
    SecurityGroupRuleId: r.ruleId,
    GroupId: r.groupId,
    GroupOwnerId: w.ctx.accountId,
    IsEgress: false,
    IpProtocol: r.ipProtocol,
    FromPort: r.fromPort,
    ToPort: r.toPort,
    ...(r.cidrIpv4 && { CidrIpv4: r.cidrIpv4 }),
    ...(r.sourceGroupId && { ReferencedGroupInfo: { GroupId: r.sourceGroupId, UserId: w.ctx.accountId } }),
    ...(r.description && { Description: r.description }),
    Tags: tagList(r.tags),
    SecurityGroupRuleArn: `arn:aws:ec2:${r.region}:${w.ctx.accountId}:security-group-rule/${r.ruleId}`,
  };
}

export function authorizeSecurityGroupIngress(
  w: Ec2World,
  input: AuthorizeSecurityGroupIngressRequest,
  region: string,
): AuthorizeSecurityGroupIngressResult {
  const groupId = required(input.GroupId, 'GroupId');
  checkGroup(w, groupId, region);
  const wanted = expand(w, groupId, required(input.IpPermissions, 'IpPermissions'), region);
  // All or nothing: one rule that already exists fails the whole call.
  wanted.forEach((rule, i) => {
    if (w.state.rules.some((r) => sameRule(r, rule)) || wanted.slice(0, i).some((r) => sameRule(r, rule))) {
      const peer = rule.sourceGroupId ?? rule.cidrIpv4;
      ec2Fail(
        'InvalidPermission.Duplicate',
        `the specified rule "peer: ${peer}, ${rule.ipProtocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW" already exists`,
      );
    }
  });
  const tags = mergeTags({}, tagsFromSpecifications(input.TagSpecifications, 'security-group-rule'), 'rule');
  const created = wanted.map((rule) => ({ ...rule, ruleId: w.ctx.newId('sgr', 17), region, tags: { ...tags } }));
  w.state.rules.push(...created);
  return { Return: true, SecurityGroupRules: created.map((r) => describeRule(w, r)) };
}

export function describeSecurityGroupRules(
  w: Ec2World,
  input: DescribeSecurityGroupRulesRequest,
  region: string,
): DescribeSecurityGroupRulesResult {
  const rules = pickByIds(
    w.state.rules.filter((r) => r.region === region),
    input.SecurityGroupRuleIds,
    (r) => r.ruleId,
    'InvalidSecurityGroupRuleId.NotFound',
    (id) => `The security group rule ID '${id}' does not exist`,
  );
  const filtered = applyFilters(
    rules,
    input.Filters,
    { 'group-id': (r) => [r.groupId], 'security-group-rule-id': (r) => [r.ruleId] },
    (r) => r.tags,
  );
  const { items, NextToken } = page(filtered, input.MaxResults, input.NextToken);
  return { SecurityGroupRules: items.map((r) => describeRule(w, r)), ...(NextToken && { NextToken }) };
}

export function revokeSecurityGroupIngress(
  w: Ec2World,
  input: RevokeSecurityGroupIngressRequest,
  region: string,
): RevokeSecurityGroupIngressResult {
  const groupId = required(input.GroupId, 'GroupId');
  checkGroup(w, groupId, region);
  let revoked: RuleRecord[];
  const UnknownIpPermissions: IpPermission[] = [];
  if (input.SecurityGroupRuleIds?.length) {
    revoked = pickByIds(
      w.state.rules.filter((r) => r.groupId === groupId && r.region === region),
      input.SecurityGroupRuleIds,
      (r) => r.ruleId,
      'InvalidSecurityGroupRuleId.NotFound',
      (id) => `The security group rule ID '${id}' does not exist`,
    );
  } else {
    revoked = [];
    for (const permission of required(input.IpPermissions, 'IpPermissions')) {
      const matches = expand(w, groupId, [permission], region).map((shape) =>
        w.state.rules.find((r) => r.region === region && sameRule(r, shape)),
      );
      if (matches.some((m) => m === undefined)) UnknownIpPermissions.push(permission);
      else revoked.push(...(matches as RuleRecord[]));
    }
  }
  const gone = new Set(revoked.map((r) => r.ruleId));
  w.state.rules = w.state.rules.filter((r) => !gone.has(r.ruleId));
  return {
    Return: true,
    ...(UnknownIpPermissions.length > 0 && { UnknownIpPermissions }),
    RevokedSecurityGroupRules: revoked.map((r) => ({
      SecurityGroupRuleId: r.ruleId,
      GroupId: r.groupId,
      IsEgress: false,
      IpProtocol: r.ipProtocol,
      FromPort: r.fromPort,
      ToPort: r.toPort,
      ...(r.cidrIpv4 && { CidrIpv4: r.cidrIpv4 }),
      ...(r.sourceGroupId && { ReferencedGroupId: r.sourceGroupId }),
      ...(r.description && { Description: r.description }),
    })),
  };
}
