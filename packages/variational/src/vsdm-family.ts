import { Matrix } from '@bridgekit/core';
import { type Schedule, variationalLinearSde } from '@bridgekit/sde';
import type { VariationalFamily } from './family.js';
import {
  type ForwardPolicy,
  type PolicyParams,
  policyGradient,
  policyMatrix,
  timeFactor,
} from './forward-policy.js';

/**
 * VSDM (algorithms.md §2): state x ∈ R^d, forward dx = −½β_t(I − 2A_t)x dt + √β_t dW with
 * A_t = c(t)·A from a {@link ForwardPolicy}. A static A uses the exact time-change kernel; A_t = c(t)A
 * the Van Loan recursion (§9 T4).
 */
export function vsdmFamily(schedule: Schedule, dataDim: number): VariationalFamily<ForwardPolicy> {
  const d = dataDim;
  return {
    name: 'vsdm',
    dataDim: d,
    stateDim: d,
    noisy: Array.from({ length: d }, (_, i) => i),
    noiseScale: new Float64Array(d).fill(1),
    schedule,
    odeSolver: 'euler',
    referencePriorCov: Matrix.eye(d),
    baseDrift: Matrix.scalar(d, -0.5),
    forwardSde(policy) {
      const a = policyMatrix(policy);
      return policy.config.timeVarying
        ? variationalLinearSde({ schedule, a, timeFactor: (t) => timeFactor(policy, t) })
        : variationalLinearSde({ schedule, a });
    },
    matrixAt(policy, t) {
      return policyMatrix(policy).scale(timeFactor(policy, t));
    },
    gradient(policy, times, grads) {
      // Ã_k = c_k A ⇒ ∂L/∂A = Σ_k c_k G_k and ∂L/∂c_k = ⟨G_k, A⟩.
      const a = policyMatrix(policy);
      let gradA = Matrix.zeros(d);
      const gradC = new Float64Array(times.length);
      for (let k = 0; k < times.length; k++) {
        const c = timeFactor(policy, times[k]!);
        gradA = gradA.add(grads[k]!.scale(c));
        let inner = 0;
        for (let i = 0; i < d * d; i++) inner += grads[k]!.data[i]! * a.data[i]!;
        gradC[k] = inner;
      }
      return policyGradient(policy, gradA, { times, gradC });
    },
    params(policy) {
      return policy.params;
    },
    withParams(policy, params: PolicyParams) {
      return { config: policy.config, params };
    },
    lift(x, out) {
      for (let i = 0; i < d; i++) out[i] = x[i]!;
    },
  };
}
