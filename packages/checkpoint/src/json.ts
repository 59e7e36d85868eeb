/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Throws a `TypeError` naming the offending path (e.g. `config.optimiser.lr`) unless `value` is plain
 * JSON. `JSON.stringify` would otherwise silently turn NaN into null, drop functions, or write a typed
 * array as `{"0": …}`, and the checkpoint would resume with a different config than was saved.
 * Object properties whose value is `undefined` are allowed (JSON drops them, as it does everywhere).
 */
export function assertJsonValue(value: unknown, path: string): asserts value is JsonValue {
  visit(value, path, new Set());
}

function visit(value: unknown, path: string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot represent`);
    return;
  }
  if (value === undefined) throw new TypeError(`${path} is undefined, which JSON cannot represent`);
  if (typeof value !== 'object') {
    throw new TypeError(`${path} is a ${typeof value}, which JSON cannot represent`);
  }
  if (ancestors.has(value)) throw new TypeError(`${path} refers back to one of its parents (a cycle)`);
  if (Array.isArray(value)) {
    ancestors.add(value);
    // Sparse holes read as undefined and are refused like an explicit undefined: JSON writes null.
    for (let i = 0; i < value.length; i++) visit(value[i], `${path}[${i}]`, ancestors);
    ancestors.delete(value);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const kind = (value as object).constructor?.name ?? 'object';
    const hint = ArrayBuffer.isView(value) ? '; put arrays of numbers in tensors, or use Array.from' : '';
    throw new TypeError(`${path} is a ${kind}, not a plain JSON object${hint}`);
  }
  ancestors.add(value);
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    visit(child, `${path}${step}`, ancestors);
  }
  ancestors.delete(value);
}
