import { Matrix } from '@bridgekit/core';
import { assertInterval, assertSquare, assertSteps } from './kernel-checks.js';
import type { GaussianTransition } from './sde.js';

/**
 * The transition of dX = F(t) X dt + G(t) dW from s to t by classical RK4 on Φ' = FΦ, Φ(s) = I and
 * the Lyapunov ODE Q' = FQ + QFᵀ + GGᵀ, Q(s) = 0 (§1.2 item 3).
 *
 * Fourth order in h = (t − s)/steps but only conditionally stable (needs h·|λ(F)| ≲ 2.7), and it
 * does not preserve positive semidefiniteness exactly: it is the independent reference the exact
 * kernels are tested against, not the production path.
 */
export function odeTransition(
  f: (t: number) => Matrix,
  ggt: (t: number) => Matrix,
  s: number,
  t: number,
  steps: number,
): GaussianTransition {
  assertInterval('odeTransition', s, t);
  assertSteps('odeTransition', 'steps', steps);
  const f0 = f(s);
  assertSquare('odeTransition', 'f(s)', f0);
  const n = f0.rows;
  const h = (t - s) / steps;
  let phi = Matrix.eye(n);
  let cov = Matrix.zeros(n);
  // (Φ, Q)' at one stage; FQ + QFᵀ = FQ + (FQ)ᵀ because every stage value of Q is symmetric,
  // and F, GGᵀ are evaluated once per stage time and shared by both equations.
  const rhs = (fm: Matrix, gm: Matrix, p: Matrix, q: Matrix): [Matrix, Matrix] => {
    const fq = fm.mul(q);
    return [fm.mul(p), fq.add(fq.transpose()).add(gm)];
  };
  for (let k = 0; k < steps; k++) {
    const t0 = s + k * h;
    const fa = k === 0 ? f0 : f(t0);
    const fb = f(t0 + 0.5 * h);
    const fc = f(t0 + h);
    assertSquare('odeTransition', 'f(t)', fa, n);
    const ga = ggt(t0);
    const gb = ggt(t0 + 0.5 * h);
    const gc = ggt(t0 + h);
    assertSquare('odeTransition', 'ggt(t)', ga, n);
    const [p1, q1] = rhs(fa, ga, phi, cov);
    const [p2, q2] = rhs(fb, gb, phi.add(p1.scale(0.5 * h)), cov.add(q1.scale(0.5 * h)));
    const [p3, q3] = rhs(fb, gb, phi.add(p2.scale(0.5 * h)), cov.add(q2.scale(0.5 * h)));
    const [p4, q4] = rhs(fc, gc, phi.add(p3.scale(h)), cov.add(q3.scale(h)));
    phi = phi.add(
      p1
        .add(p2.scale(2))
        .add(p3.scale(2))
        .add(p4)
        .scale(h / 6),
    );
    cov = cov.add(
      q1
        .add(q2.scale(2))
        .add(q3.scale(2))
        .add(q4)
        .scale(h / 6),
    );
  }
  return { phi, cov: cov.symmetrize() };
}
