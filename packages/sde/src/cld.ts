import { Matrix } from '@bridgekit/core';
import { constantSchedule } from './constant-schedule.js';
import { LinearSde } from './linear-sde.js';
import type { Schedule } from './schedule.js';

/** Options of {@link cldSde} (§3.2). */
export interface CldOptions {
  /** β(t); default constant β = 4 (Dockhorn et al. 2022). */
  readonly schedule?: Schedule;
  /** Mass M > 0; default 0.25. */
  readonly mass?: number;
  /** ζ = Γ/(2√M) > 0; 1 = critical damping (default), 0.7 = underdamped (VSULD). */
  readonly dampingRatio?: number;
  /** Initial velocity scale: v₀ ~ N(0, γ₀M); default 0.04. */
  readonly gamma0?: number;
}

/**
 * Critically damped Langevin diffusion (Dockhorn et al. 2022; §3.2 with K = I, C = Γ/M) in phase
 * space z = (x, v): dz = β(t)(F₀ ⊗ I_d) z dt + √β(t) (G₀ ⊗ I_d) dW with F₀ = [[0, 1/M], [−1, −Γ/M]],
 * G₀G₀ᵀ = diag(0, 2Γ), Γ = 2ζ√M, as a {@link LinearSde} with n = 2 blocks (positions, velocities).
 *
 * The state is [x | v] column-wise (block 0 = the d positions, block 1 = the d velocities). The
 * stationary law is N(0, diag(1, M)) for every ζ (fluctuation–dissipation), and the initial
 * velocity v₀ ~ N(0, γ₀M) gives initialCov = diag(0, γ₀M) (§3.3). Kernels are exact through the time
 * change τ = B(t).
 */
export function cldSde(options: CldOptions = {}): LinearSde {
  const mass = options.mass ?? 0.25;
  const ratio = options.dampingRatio ?? 1;
  const gamma0 = options.gamma0 ?? 0.04;
  if (!Number.isFinite(mass) || mass <= 0) {
    throw new RangeError(`cldSde: mass must be a finite number > 0, got ${mass}`);
  }
  if (!Number.isFinite(ratio) || ratio <= 0) {
    throw new RangeError(
      `cldSde: dampingRatio must be a finite number > 0 (1 = critical, < 1 underdamped), got ${ratio}`,
    );
  }
  if (!Number.isFinite(gamma0) || gamma0 < 0) {
    throw new RangeError(`cldSde: gamma0 must be a finite number ≥ 0 (v₀ ~ N(0, γ₀M)), got ${gamma0}`);
  }
  const schedule = options.schedule ?? constantSchedule(4);
  const damping = 2 * ratio * Math.sqrt(mass);
  return new LinearSde({
    name: `cld(M=${mass}, ζ=${ratio}, ${schedule.name})`,
    timeChange: {
      schedule,
      f0: Matrix.from([
        [0, 1 / mass],
        [-1, -damping / mass],
      ]),
      q0: Matrix.diag([0, 2 * damping]),
    },
    initialCov: Matrix.diag([0, gamma0 * mass]),
  });
}

/** The stationary covariance diag(1, M) of CLD per coordinate pair (§3.2, §9 T5), for any damping ratio. */
export function cldStationaryCov(mass = 0.25): Matrix {
  if (!Number.isFinite(mass) || mass <= 0)
    throw new RangeError(`cldStationaryCov: mass must be a finite number > 0, got ${mass}`);
  return Matrix.diag([1, mass]);
}
