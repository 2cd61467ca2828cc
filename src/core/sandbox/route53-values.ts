// Per-type checks of record values, with the wording Route 53 uses in InvalidChangeBatch messages.
import { isIPv6 } from 'node:net';
import { normalizeName } from './route53-names.ts';

export const RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'DS',
  'HTTPS',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SOA',
  'SPF',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
];

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function fatal(code: string, description: string, value: string): string {
  return `Invalid Resource Record: 'FATAL problem: ${code} (${description}) encountered with '${value}''`;
}

function isUint16(text: string | undefined): boolean {
  return text !== undefined && /^\d{1,5}$/.test(text) && Number(text) <= 65535;
}

function isDomain(text: string | undefined): boolean {
  return text !== undefined && (text === '.' || normalizeName(text) !== undefined);
}

/** The quoted strings of a TXT value, or undefined when something is not enclosed in quotation marks. */
function characterStrings(value: string): string[] | undefined {
  const strings: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value[i] === ' ' || value[i] === '\t') {
      i++;
      continue;
    }
    if (value[i] !== '"') return undefined;
    let text = '';
    i++;
    while (i < value.length && value[i] !== '"') {
      // An escaped quote or an octal escape counts as one character.
      const octal = value[i] === '\\' ? /^[0-7]{3}/.exec(value.slice(i + 1)) : null;
      text += 'x';
      i += octal ? 4 : value[i] === '\\' ? 2 : 1;
    }
    if (i >= value.length) return undefined;
    strings.push(text);
    i++;
  }
  return strings.length > 0 ? strings : undefined;
}

function checkTxt(value: string): string | undefined {
  const strings = characterStrings(value);
  if (!strings) return fatal('InvalidCharacterString', 'Value should be enclosed in quotation marks', value);
  if (strings.some((s) => s.length > 255)) {
    return fatal('CharacterStringTooLong', 'Value is too long', value);
  }
  return undefined;
}

/** The problem with one value of a record of this type, or undefined when it is valid. */
export function checkValue(type: string, value: string): string | undefined {
  const fields = value.trim().split(/\s+/);
  switch (type) {
    case 'A':
      return IPV4.test(value)
        ? undefined
        : fatal('ARRDATAIllegalIPv4Address', 'Value is not a valid IPv4 address', value);
    case 'AAAA':
      return isIPv6(value)
        ? undefined
        : fatal('AAAARRDATAIllegalIPv6Address', 'Value is not a valid IPv6 address', value);
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return isDomain(value) ? undefined : fatal('DomainNameInvalid', 'Value is not a valid domain name', value);
    case 'MX':
      if (fields.length !== 2) return fatal('MXRRDATANotTwoFields', "MX record doesn't have 2 fields", value);
      if (!isUint16(fields[0])) return fatal('MXRRDATAIllegalPriority', 'MX priority is not a number', value);
      return isDomain(fields[1]) ? undefined : fatal('DomainNameInvalid', 'Value is not a valid domain name', value);
    case 'SRV':
      if (fields.length !== 4) return fatal('SRVRRDATANotFourFields', "SRV record doesn't have 4 fields", value);
      if (!fields.slice(0, 3).every(isUint16)) {
        return fatal('SRVRRDATAIllegalNumber', 'SRV priority, weight and port must be between 0 and 65535', value);
      }
      return isDomain(fields[3]) ? undefined : fatal('DomainNameInvalid', 'Value is not a valid domain name', value);
    case 'TXT':
    case 'SPF':
      return checkTxt(value);
    case 'SOA':
      return fields.length === 7
        ? undefined
        : fatal('SOARRDATANotSevenFields', "SOA record doesn't have 7 fields", value);
    default:
      return value.trim() === '' ? fatal('InvalidCharacterString', 'Value should not be empty', value) : undefined;
  }
}
