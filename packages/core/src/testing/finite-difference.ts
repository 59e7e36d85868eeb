/**
 * Float64 finite-difference reference derivatives for gradient tests: central differences of a
 * host function, and Hessian–vector products as central differences of that gradient.
 */
export type HostFn = (x: Float64Array) => number;

/** ∇f(x) by central differences with step h (error O(h²)). */
export function fdGradient(f: HostFn, x: Float64Array, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  const xp = x.slice();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    xp[i] = xi + h;
    const fp = f(xp);
    xp[i] = xi - h;
    const fm = f(xp);
    xp[i] = xi;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** H(x)·v by central differences of the finite-difference gradient along v. */
export function fdHessianVector(f: HostFn, x: Float64Array, v: Float64Array, h = 1e-4): Float64Array {
  const xp = new Float64Array(x.length);
  const xm = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    xp[i] = x[i]! + h * v[i]!;
    xm[i] = x[i]! - h * v[i]!;
  }
  const gp = fdGradient(f, xp, h);
  const gm = fdGradient(f, xm, h);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (gp[i]! - gm[i]!) / (2 * h);
  return out;
}

/** max |a − b| / max(1, max |b|): a relative error that does not blow up near zero. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}
