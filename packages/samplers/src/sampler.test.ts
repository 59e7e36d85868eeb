// Behaviour of the shared driver that the contract suite does not reach through the built-in samplers.
import { initBackend, tf } from '@bridgekit/core';
import type { VectorField } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { eulerOde } from './euler-ode.js';
import { defineSampler, type StepSolver } from './sampler.js';
import { uniformGrid } from './time-grid.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('defineSampler / the shared driver', () => {
  it('copies a state that a step returns unchanged, so x is neither disposed nor returned', () => {
    const identity: StepSolver<null> = {
      name: 'identity',
      kind: 'ode',
      order: 1,
      nfePerStep: 0,
      validate: () => {},
      isStochastic: () => false,
      step: (_model, x) => ({ x, nfe: 0 }),
    };
    const sample = defineSampler(identity);
    expect(sample.name).toBe('identity');
    expect(sample.solver).toBe(identity);
    const x = tf.tensor2d([[1, 2]]);
    const before = tf.memory().numTensors;
    const result = sample(null, x, [0, 0.5, 1]);
    expect(result.x).not.toBe(x);
    expect(x.isDisposed).toBe(false);
    expect(result.x.dataSync()).toEqual(x.dataSync());
    expect(result.nfe).toBe(0);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, result.x]);
  });

  it('rejects a model whose output changes the state shape, naming the step', () => {
    const bad: VectorField = { name: 'bad', velocity: (x) => tf.expandDims(x, 1) as unknown as tf.Tensor2D };
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    expect(() => eulerOde(bad, x, uniformGrid(0, 1, 4))).toThrow(
      /eulerOde: step 0 \(t = 0 → 0.25\) produced a state of shape \[3, 3, 2\], expected \[3, 2\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('disposes its state when onStep throws, and rethrows', () => {
    const field: VectorField = { name: 'zero', velocity: (x) => tf.zerosLike(x) };
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    expect(() =>
      eulerOde(field, x, uniformGrid(0, 1, 4), {
        onStep: ({ step }) => {
          if (step === 2) throw new Error('stop here');
        },
      }),
    ).toThrow('stop here');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
