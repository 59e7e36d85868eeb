import { describe, expect, it } from 'vitest';
import { assertJsonValue } from './json.js';

describe('assertJsonValue', () => {
  it('accepts plain JSON, including null-prototype objects and undefined properties', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(() =>
      assertJsonValue({ a: [1, 'x', null, true, { b: [] }], bare, gone: undefined, __proto__x: 1 }, 'config'),
    ).not.toThrow();
  });

  it('names the path of anything JSON would silently change', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: [unknown, RegExp][] = [
      [{ optimiser: { lr: Number.NaN } }, /config\.optimiser\.lr is NaN/],
      [{ xs: [1, Infinity] }, /config\.xs\[1\] is Infinity/],
      [{ xs: [1, undefined] }, /config\.xs\[1\] is undefined/],
      [{ f: () => 1 }, /config\.f is a function/],
      [{ n: 1n }, /config\.n is a bigint/],
      [{ 'a key': new Float32Array(2) }, /config\["a key"\] is a Float32Array.*tensors/],
      [{ when: new Date(0) }, /config\.when is a Date, not a plain JSON object/],
      [cyclic, /config\.self refers back/],
      [undefined, /^config is undefined/],
    ];
    for (const [value, message] of cases) expect(() => assertJsonValue(value, 'config')).toThrow(message);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(() => assertJsonValue({ x: shared, y: [shared, shared] }, 'config')).not.toThrow();
  });
});
