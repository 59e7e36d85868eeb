import { Matrix } from '@bridgekit/core';

/**
 * Second moments of simulated backward trajectories at each grid time, the only thing the forward
 * objective of a linear policy depends on (algorithms.md §2.5 b): for z_f = √β·Ã_t x the loss is
 * quadratic in Ã_t with coefficients E[x xᵀ] and E[ẑ xᵀ].
 */
export interface TrajectoryStatistics {
  /** Grid times t_k. */
  readonly times: Float64Array;
  /** Δt_k, the weight of time k in the time integral. */
  readonly dts: Float64Array;
  /** E[x_k x_kᵀ] over the paths (D×D). */
  readonly xx: readonly Matrix[];
  /** E[ẑ_k x_kᵀ] over the paths (D×D), ẑ zero on coordinates without noise. */
  readonly zx: readonly Matrix[];
}

/**
 * Moments over the paths `rows` (indices into each time's [paths × D] arrays) of states `xs[k]` and
 * backward policies `zs[k]`: E[x xᵀ], E[ẑ xᵀ] per time.
 */
export function trajectoryStatistics(options: {
  readonly times: ArrayLike<number>;
  readonly dts: ArrayLike<number>;
  readonly xs: readonly Float32Array[];
  readonly zs: readonly Float32Array[];
  readonly dim: number;
  readonly rows?: ArrayLike<number>;
}): TrajectoryStatistics {
  const { xs, zs, dim } = options;
  const K = options.times.length;
  if (xs.length !== K || zs.length !== K || options.dts.length !== K) {
    throw new RangeError(
      `trajectoryStatistics: times (${K}), dts (${options.dts.length}), xs (${xs.length}) and zs (${zs.length}) must have one entry per time`,
    );
  }
  const paths = xs[0]!.length / dim;
  const rows = options.rows ?? Uint32Array.from({ length: paths }, (_, i) => i);
  if (rows.length === 0) throw new RangeError('trajectoryStatistics: needs at least one path');
  const xx: Matrix[] = [];
  const zx: Matrix[] = [];
  for (let k = 0; k < K; k++) {
    const x = xs[k]!;
    const z = zs[k]!;
    if (x.length !== paths * dim || z.length !== paths * dim) {
      throw new RangeError(
        `trajectoryStatistics: time ${k} holds ${x.length} / ${z.length} values, expected ${paths * dim}`,
      );
    }
    const sxx = new Matrix(dim, dim);
    const szx = new Matrix(dim, dim);
    for (let r = 0; r < rows.length; r++) {
      const o = rows[r]! * dim;
      for (let i = 0; i < dim; i++) {
        const xi = x[o + i]!;
        const zi = z[o + i]!;
        for (let j = 0; j < dim; j++) {
          const xj = x[o + j]!;
          sxx.data[i * dim + j]! += xi * xj;
          szx.data[i * dim + j]! += zi * xj;
        }
      }
    }
    xx.push(sxx.scale(1 / rows.length));
    zx.push(szx.scale(1 / rows.length));
  }
  return { times: Float64Array.from(options.times), dts: Float64Array.from(options.dts), xx, zx };
}
