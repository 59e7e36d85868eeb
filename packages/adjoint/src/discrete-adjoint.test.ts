import { initBackend, Matrix, Rng, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { eulerOde, uniformGrid } from '@bridgekit/samplers';
import { beforeAll, describe, expect, it } from 'vitest';
import { discreteAdjoint, type StepMap } from './discrete-adjoint.js';
import { leanAdjointEuler } from './lean-adjoint-euler.js';
import { fNonCommuting, nonCommutingSde } from './linear-drift.test-helper.js';
import { mlpDrift } from './mlp-drift.test-helper.js';
import { pathFromTrajectory } from './path-from-trajectory.js';
import { vectorJacobianProduct } from './vjp.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** The forward-Euler step map μ(x) = x + (tNext − t)·b(x, t). */
const eulerStep =
  (drift: (x: tf.Tensor2D, t: number) => tf.Tensor2D): StepMap =>
  (x, t, tNext) =>
    tf.add(x, tf.mul(drift(x, t), tNext - t));

describe('discreteAdjoint', () => {
  it('of the forward-Euler map is the Euler recursion with J at the interval START: ã_k = (I + Δt F(t_k)ᵀ) ã_{k+1}', () => {
    const times = [0, 0.2, 0.5, 1];
    const a1 = [0.7, -1.3];
    const x = tf.zeros([1, 2]) as tf.Tensor2D;
    const terminal = tf.tensor2d([a1]);
    const drift = (u: tf.Tensor2D, t: number) => nonCommutingSde.drift(u, t);
    const path = { times, states: times.map(() => x) };
    const discrete = discreteAdjoint({ step: eulerStep(drift), path, terminal });
    const lean = leanAdjointEuler({ drift, path, terminal });
    let start = Matrix.from(a1.map((v) => [v]));
    for (let k = times.length - 1; k >= 1; k--) {
      start = start.add(
        fNonCommuting(times[k - 1]!)
          .transpose()
          .mul(start)
          .scale(times[k]! - times[k - 1]!),
      );
    }
    expect(relativeError(discrete.adjoints[0]!.dataSync(), start.data)).toBeLessThan(1e-6);
    // leanAdjointEuler (J at the end) is the other first-order variant: visibly different here.
    expect(relativeError(lean.adjoints[0]!.dataSync(), start.data)).toBeGreaterThan(1e-2);
    tf.dispose([...discrete.adjoints, ...lean.adjoints, x, terminal]);
  });

  it('equals the start-point lean recursion ã_k = ã_{k+1} + Δt·J_b(x_k, t_k)ᵀã_{k+1} for a nonlinear drift', () => {
    const net = mlpDrift(2, 8, 21);
    const rng = new Rng(22);
    const times = [0.1, 0.3, 0.45, 0.8, 1];
    const states = times.map(() => tf.tensor2d(rng.normalFloat32(10), [5, 2]));
    const terminal = tf.tensor2d(rng.normalFloat32(10), [5, 2]);
    const { adjoints } = discreteAdjoint({ step: eulerStep(net.drift), path: { times, states }, terminal });
    let a = tf.clone(terminal);
    for (let k = times.length - 2; k >= 0; k--) {
      const t = times[k]!;
      const next = tf.tidy(() =>
        tf.add(
          a,
          tf.mul(
            vectorJacobianProduct((u) => net.drift(u, t), states[k]!, a),
            times[k + 1]! - t,
          ),
        ),
      );
      a.dispose();
      a = next as tf.Tensor2D;
      expect(relativeError(adjoints[k]!.dataSync(), a.dataSync())).toBeLessThan(1e-6);
    }
    tf.dispose([...adjoints, ...states, terminal, a]);
  });

  it("along the map's own rollout (recorded by eulerOde) gives ∇_{x₀} g(x_K): autodiff through the rollout and finite differences", () => {
    const net = mlpDrift(2, 8, 31);
    const field = { name: 'mlp', velocity: net.drift };
    const rng = new Rng(32);
    const x0Host = rng.normalFloat32(8);
    const c = rng.normalFloat32(8); // g(x) = ⟨c, x⟩ + ½‖x‖², ∇g = c + x
    const grid = uniformGrid(0, 1, 6);
    const x0 = tf.tensor2d(x0Host, [4, 2]);
    const run = eulerOde(field, x0, grid, { record: true });
    const path = pathFromTrajectory(run.trajectory!);
    const cT = tf.tensor2d(c, [4, 2]);
    const terminal = tf.add(cT, run.x) as tf.Tensor2D;
    const { adjoints } = discreteAdjoint({ step: eulerStep(net.drift), path, terminal });

    const rollout = (x: tf.Tensor2D) => {
      let y = x;
      for (let k = 0; k + 1 < grid.length; k++) y = eulerStep(net.drift)(y, grid[k]!, grid[k + 1]!);
      return y;
    };
    const viaAutodiff = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => {
        const y = rollout(x as tf.Tensor2D);
        return tf.add(tf.sum(tf.mul(cT, y)), tf.mul(tf.sum(tf.square(y)), 0.5));
      })(x0),
    );
    expect(relativeError(adjoints[0]!.dataSync(), viaAutodiff.dataSync())).toBeLessThan(1e-5);

    const hostG = (x: Float64Array) => {
      let y = x;
      for (let k = 0; k + 1 < grid.length; k++) {
        const b = net.host(y, grid[k]!);
        y = y.map((v, i) => v + (grid[k + 1]! - grid[k]!) * b[i]!);
      }
      return y.reduce((s, v, i) => s + c[i]! * v + 0.5 * v * v, 0);
    };
    const fd = fdGradient(hostG, Float64Array.from(x0Host));
    expect(relativeError(adjoints[0]!.dataSync(), fd)).toBeLessThan(1e-4);
    tf.dispose([...adjoints, ...path.states, x0, run.x, cT, terminal, viaAutodiff]);
  });

  it('names the step whose map returns the wrong shape', () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() =>
      discreteAdjoint({
        step: (u) => tf.slice(u, [0, 0], [-1, 2]) as tf.Tensor2D,
        path: { times: [0, 0.5, 1], states: [x, x, x] },
        terminal: x,
      }),
    ).toThrow(
      /discreteAdjoint: step from t = 0\.5 to 1: the function returned a float32 tensor of shape \[2, 2\]/,
    );
    expect(() =>
      discreteAdjoint({
        step: undefined as unknown as StepMap,
        path: { times: [0], states: [x] },
        terminal: x,
      }),
    ).toThrow(/step must be a function \(x: Tensor2D, t: number, tNext: number\) => Tensor2D, got undefined/);
    x.dispose();
  });
});

describe('pathFromTrajectory', () => {
  it('rejects a reverse-time grid', () => {
    expect(() =>
      pathFromTrajectory({
        t: Float64Array.from([1, 0.5]),
        states: [new Float32Array(2), new Float32Array(2)],
        shape: [1, 2],
      }),
    ).toThrow(/trajectory\.t must increase .* got t\[0\] = 1 then t\[1\] = 0\.5/);
  });
});
