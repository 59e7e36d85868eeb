/**
 * The shortest decimal string that reads back (Number(s), then rounding to float32) as exactly the
 * float32 value `v`: tries 1..9 significant digits (9 always suffice for float32, subnormals
 * included) and keeps the first that round-trips, then prints that decimal in JavaScript's shortest
 * form ('0.1', '1e-7', '123456'). -0 is written '-0' so its sign survives. `v` must be finite and
 * already a float32 value.
 */
export function formatFloat32(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(v.toPrecision(digits));
    if (Math.fround(candidate) === v) return String(candidate);
  }
  return String(Number(v.toPrecision(9)));
}
