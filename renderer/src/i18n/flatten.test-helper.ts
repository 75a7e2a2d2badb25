/** A locale's texts by dotted key (`intake.scanIgnored.title`); anything neither text nor a group is refused. */
export function flattenTexts(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else if (v && typeof v === 'object') for (const [kk, vv] of flattenTexts(v as object, key)) out.set(kk, vv);
    else throw new Error(`${key} is neither text nor a group`);
  }
  return out;
}
