/**
 * The least-squares slope of log(errors) against log(x): the observed convergence order when x are
 * step sizes (≈ p for an order-p method) or minus it when x are step counts.
 */
export function logLogSlope(x: readonly number[], errors: readonly number[]): number {
  if (x.length !== errors.length || x.length < 2) {
    throw new RangeError(
      `logLogSlope: x and errors must have the same length ≥ 2, got ${x.length} and ${errors.length}`,
    );
  }
  const xs = x.map(Math.log);
  const ys = errors.map(Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}
