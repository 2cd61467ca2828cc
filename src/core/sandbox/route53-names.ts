// DNS names as Route 53 stores, compares and sorts them.

/** Route 53 returns every character other than a-z, 0-9, hyphen and underscore as a three-digit octal escape. */
const PLAIN = /^[a-z0-9_-]$/;

/**
 * Lowercased, fully qualified (trailing dot) and escaped the way Route 53 answers, e.g. `*.Example.com`
 * → `\052.example.com.`; undefined when it is not a valid domain name.
 */
export function normalizeName(raw: string): string | undefined {
  const text = raw.endsWith('.') && !raw.endsWith('\\.') ? raw.slice(0, -1) : raw;
  if (text === '') return undefined;
  const labels: string[] = [];
  let label = '';
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    let char = text[i] as string;
    if (char === '.') {
      if (length === 0 || length > 63) return undefined;
      labels.push(label);
      label = '';
      length = 0;
      continue;
    }
    if (char === '\\') {
      const octal = /^[0-7]{3}/.exec(text.slice(i + 1));
      if (octal) {
        char = String.fromCharCode(Number.parseInt(octal[0], 8));
        i += 3;
      } else if (i + 1 < text.length) {
        char = text[++i] as string;
      } else {
        return undefined;
      }
    }
    const lower = char.toLowerCase();
    label += PLAIN.test(lower) ? lower : `\\${lower.charCodeAt(0).toString(8).padStart(3, '0')}`;
    length += 1;
  }
  if (length === 0 || length > 63) return undefined;
  labels.push(label);
  const name = `${labels.join('.')}.`;
  // 255 octets on the wire: a length byte per label plus the root byte.
  return name.replace(/\\[0-7]{3}/g, 'x').length + 1 > 255 ? undefined : name;
}

/** A name made only of letters, digits, hyphens and underscores: what a hosted zone may be called. */
export function isPlainName(name: string): boolean {
  return !name.includes('\\');
}

/** Route 53's sort key: labels reversed, trailing dot kept (`www.example.com.` → `com.example.www.`). */
export function sortKey(name: string): string {
  return `${name.slice(0, -1).split('.').reverse().join('.')}.`;
}

export function compareNames(a: string, b: string): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function isInZone(name: string, zoneName: string): boolean {
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

/** The name as the project shows it: no trailing dot. */
export function bareName(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Ids arrive with or without the `/hostedzone/` or `/change/` prefix, as the SDK allows both. */
export function stripIdPrefix(id: string): string {
  return id.replace(/^\/(hostedzone|change|delegationset)\//, '');
}
