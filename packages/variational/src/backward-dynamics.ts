import { Matrix, matmul, tf } from '@bridgekit/core';
import type { Sde, State, VectorField } from '@bridgekit/sde';
import type { VariationalFamily } from './family.js';

/** The backward policy ẑ_θ(z, t) on the noisy coordinates: [B, D] → [B, |noisy|]. */
export type BackwardPolicy = (z: State, t: number) => tf.Tensor2D;

/** z·Mᵀ for a batch z [B, D] and a host matrix M (D×D). */
export function applyMatrix(z: State, m: Matrix): State {
  return tf.tidy(
    () => matmul(z, tf.tensor2d(Float32Array.from(m.transpose().data), [m.cols, m.rows])) as State,
  );
}

/** ẑ on the noisy coordinates → the full state with zeros elsewhere, times Γ (per-coordinate noise). */
function scatterScaled<P>(family: VariationalFamily<P>, zhat: tf.Tensor2D, scale: number): State {
  const D = family.stateDim;
  const n = family.noisy.length;
  const p = new Float32Array(n * D);
  family.noisy.forEach((c, i) => {
    p[i * D + c] = scale * family.noiseScale[c]!;
  });
  return tf.tidy(() => matmul(zhat, tf.tensor2d(p, [n, D])) as State);
}

/** Per-coordinate diffusion √β_t Γ as a [1, D] row. */
function diffusionRow<P>(family: VariationalFamily<P>, t: number): tf.Tensor2D {
  const sb = Math.sqrt(family.schedule.beta(t));
  return tf.tensor2d(
    Float32Array.from(family.noiseScale, (g) => sb * g),
    [1, family.stateDim],
  );
}

/**
 * The backward (generative) SDE of algorithms.md §2.3 in forward-time form, for a sampler run on a
 * decreasing time grid: dz = [β F_base z − √β Γ ẑ_θ(z, t)] dt + √β Γ dW̄. (The variational part
 * cancels: forward drift − β Γ² ∇log ρ with ∇log ρ = Ã z + ∇log φ̂.) VSDM: −½βx − √β ẑ.
 */
export function backwardSde<P>(family: VariationalFamily<P>, zhat: BackwardPolicy): Sde {
  return {
    name: `${family.name}-backward-sde`,
    drift(z, t) {
      const beta = family.schedule.beta(t);
      return tf.tidy(() => {
        const base = applyMatrix(z, family.baseDrift.scale(beta));
        const h = zhat(z, t);
        return tf.sub(base, scatterScaled(family, h, Math.sqrt(beta))) as State;
      });
    },
    diffusion(t) {
      return diffusionRow(family, t);
    },
  };
}

/**
 * The probability-flow ODE: dz/dt = β(F_base + ½Γ²Ã_t) z − ½√β Γ ẑ_θ(z, t) (forward drift minus
 * ½βΓ²∇log ρ). VSDM: −½βx + ½√β(z_f − ẑ) with z_f = √β A_t x (§2.3).
 */
export function probabilityFlowOde<P>(
  family: VariationalFamily<P>,
  policy: P,
  zhat: BackwardPolicy,
): VectorField {
  const gamma2 = Matrix.diag(Float64Array.from(family.noiseScale, (g) => g * g));
  return {
    name: `${family.name}-probability-flow`,
    velocity(z, t) {
      const beta = family.schedule.beta(t);
      const f = family.baseDrift.add(gamma2.mul(family.matrixAt(policy, t)).scale(0.5)).scale(beta);
      return tf.tidy(() => {
        const lin = applyMatrix(z, f);
        const h = zhat(z, t);
        return tf.sub(lin, scatterScaled(family, h, 0.5 * Math.sqrt(beta))) as State;
      });
    },
  };
}
