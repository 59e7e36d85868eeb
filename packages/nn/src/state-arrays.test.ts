import { initBackend, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { stepLr } from './lr-schedule.js';
import { regressionStep } from './regression-step.js';
import {
  type NamedArray,
  stateFromNamedArrays,
  stateToNamedArrays,
  type TrainStateJson,
} from './state-arrays.js';
import { toyResNet } from './toy-resnet.js';
import { createTrainState, disposeTrainState, type TrainState } from './train-state.js';

describe('stateToNamedArrays / stateFromNamedArrays', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  const graph = toyResNet({ dataDim: 2, hidden: 8, timeEmbedDim: 4, resBlocks: 1 });
  const rng = new Rng('checkpoint');
  const batch = () => ({
    x: tf.tensor2d(rng.normalFloat32(12), [6, 2]),
    t: tf.tensor1d(rng.uniformFloat32(6)),
    target: tf.tensor2d(rng.normalFloat32(12), [6, 2]),
  });
  const trained = (): TrainState => {
    let s = createTrainState(
      graph,
      new Rng(1),
      { kind: 'adamw', lr: stepLr({ lr: 1e-2, stepSize: 2, gamma: 0.5 }), clipNorm: 1, weightDecay: 1e-3 },
      { emaDecay: 0.9 },
    );
    for (let i = 0; i < 3; i++) s = regressionStep(s, batch()).state;
    return s;
  };
  /** Simulates a checkpoint file: JSON text plus independent copies of the arrays. */
  const roundTrip = (json: TrainStateJson, tensors: Record<string, NamedArray>) => ({
    json: JSON.parse(JSON.stringify(json)) as TrainStateJson,
    tensors: Object.fromEntries(
      Object.entries(tensors).map(([k, v]) => [
        k,
        { dtype: v.dtype, shape: [...v.shape], data: v.data.slice() },
      ]),
    ),
  });

  it('names tensors params/, ema/, adam.m/, adam.v/ and keeps everything else in JSON', () => {
    const s = trained();
    const { tensors, json } = stateToNamedArrays(s);
    const names = graph.params.map((p) => p.name);
    expect(Object.keys(tensors).sort()).toEqual(
      ['params/', 'ema/', 'adam.m/', 'adam.v/'].flatMap((prefix) => names.map((n) => prefix + n)).sort(),
    );
    expect(tensors['params/out_module.2.weight']).toMatchObject({ dtype: 'float32', shape: [8, 2] });
    expect(json).toMatchObject({
      format: 'bridgekit-train-state',
      version: 1,
      optimizer: {
        kind: 'adamw',
        step: 3,
        clipNorm: 1,
        weightDecay: 1e-3,
        lr: { kind: 'step', stepSize: 2 },
      },
      ema: { decay: 0.9 },
    });
    expect(json.graph).toEqual(graph);
    disposeTrainState(s);
  });

  it('save → load → the next step is bit-identical', () => {
    const original = trained();
    const { json, tensors } = stateToNamedArrays(original);
    const saved = roundTrip(json, tensors);
    const loaded = stateFromNamedArrays(saved.json, saved.tensors);
    const b = batch();
    const a = regressionStep(original, b);
    const c = regressionStep(loaded, b);
    expect(c.loss).toBe(a.loss);
    const arrays = (s: TrainState) => stateToNamedArrays(s).tensors;
    const [ta, tc] = [arrays(a.state), arrays(c.state)];
    for (const k of Object.keys(ta))
      expect(Buffer.compare(Buffer.from(tc[k]!.data.buffer), Buffer.from(ta[k]!.data.buffer)), k).toBe(0);
    expect(c.state.optimizer.state.step).toBe(4);
    disposeTrainState(a.state);
    disposeTrainState(c.state);
  });

  it('loading copies the arrays, so later edits to them do not reach the state', () => {
    const s = trained();
    const { tensors, json } = stateToNamedArrays(s);
    const loaded = stateFromNamedArrays(json, tensors);
    const before = loaded.params['x_module.map.bias']!.dataSync()[0];
    tensors['params/x_module.map.bias']!.data[0] = 123;
    expect(loaded.params['x_module.map.bias']!.dataSync()[0]).toBe(before);
    disposeTrainState(s);
    disposeTrainState(loaded);
  });

  it('names missing, mis-shaped and unexpected tensors, and a bad description', () => {
    const s = trained();
    const { tensors, json } = stateToNamedArrays(s);
    disposeTrainState(s);
    const { 'adam.v/t_module.0.bias': _gone, ...missing } = tensors;
    expect(() => stateFromNamedArrays(json, missing)).toThrow(/tensors is missing 'adam.v\/t_module.0.bias'/);
    const bad = {
      ...tensors,
      'ema/out_module.2.bias': { dtype: 'float32' as const, shape: [3], data: new Float32Array(3) },
    };
    expect(() => stateFromNamedArrays(json, bad)).toThrow(
      /tensors\['ema\/out_module.2.bias'\] has shape \[3\] and 3 values; the graph declares \[2\]/,
    );
    expect(() =>
      stateFromNamedArrays(json, { ...tensors, 'params/extra': tensors['params/out_module.2.bias']! }),
    ).toThrow(/unexpected entry 'params\/extra'/);
    expect(() =>
      stateFromNamedArrays({ ...json, format: 'x' } as unknown as TrainStateJson, tensors),
    ).toThrow(/json must be a 'bridgekit-train-state' version 1 description/);
    expect(() =>
      stateFromNamedArrays({ ...json, optimizer: { ...json.optimizer, step: -1 } }, tensors),
    ).toThrow(/json.optimizer.step must be a non-negative integer, got -1/);
  });
});
