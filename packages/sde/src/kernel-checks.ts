import type { Matrix } from '@bridgekit/core';

// Matrix and interval checks shared by the linear-SDE kernels (internal, not exported from the
// package index; scalar checks live in validate.ts). Every message names the function, the
// argument, the offending value and what would have been valid.

/** Throws unless `m` is square (and n×n when `n` is given). */
export function assertSquare(where: string, name: string, m: Matrix, n?: number): void {
  if (!m.isSquare) throw new RangeError(`${where}: ${name} must be a square matrix, got ${m.rows}×${m.cols}`);
  if (n !== undefined && m.rows !== n) {
    throw new RangeError(
      `${where}: ${name} must be ${n}×${n} to match the ${n} blocks, got ${m.rows}×${m.cols}`,
    );
  }
}

/** Throws unless every entry of `m` is finite. */
export function assertFinite(where: string, name: string, m: Matrix): void {
  for (let k = 0; k < m.data.length; k++) {
    const v = m.data[k]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `${where}: ${name} must have finite entries, got ${v} at (${Math.floor(k / m.cols)}, ${k % m.cols})`,
      );
    }
  }
}

/** Throws unless `m` is diagonal with a non-negative diagonal (a diagonal noise covariance GGᵀ). */
export function assertDiagonalPsd(where: string, name: string, m: Matrix): void {
  const n = m.rows;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m.data[i * n + j]!;
      if (i !== j && v !== 0) {
        throw new RangeError(
          `${where}: ${name} must be diagonal (diagonal noise G), got entry (${i}, ${j}) = ${v}; off-diagonal entries must be 0`,
        );
      }
      if (i === j && !(v >= 0)) {
        throw new RangeError(
          `${where}: ${name} must have a non-negative diagonal, got entry (${i}, ${i}) = ${v}`,
        );
      }
    }
  }
}

/** Throws unless `m` looks like a covariance: symmetric to rounding with a non-negative diagonal. */
export function assertCovariance(where: string, name: string, m: Matrix): void {
  const n = m.rows;
  const tol = 1e-12 * Math.max(1, m.maxAbs());
  for (let i = 0; i < n; i++) {
    const d = m.data[i * n + i]!;
    if (!(d >= 0)) {
      throw new RangeError(
        `${where}: ${name} must be a covariance (non-negative diagonal), got entry (${i}, ${i}) = ${d}`,
      );
    }
    for (let j = 0; j < i; j++) {
      if (Math.abs(m.data[i * n + j]! - m.data[j * n + i]!) > tol) {
        throw new RangeError(
          `${where}: ${name} must be symmetric, got (${i}, ${j}) = ${m.data[i * n + j]} but (${j}, ${i}) = ${m.data[j * n + i]}`,
        );
      }
    }
  }
}

/** Throws unless s and t are finite with s ≤ t (kernels run forward in time). */
export function assertInterval(where: string, s: number, t: number): void {
  if (typeof s !== 'number' || !Number.isFinite(s))
    throw new RangeError(`${where}: s must be a finite time, got ${s}`);
  if (typeof t !== 'number' || !Number.isFinite(t))
    throw new RangeError(`${where}: t must be a finite time, got ${t}`);
  if (s > t) throw new RangeError(`${where}: s must be ≤ t (a forward transition), got s = ${s} > t = ${t}`);
}

/** Throws unless `steps` is a positive integer. */
export function assertSteps(where: string, name: string, steps: number): void {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${steps}`);
  }
}
