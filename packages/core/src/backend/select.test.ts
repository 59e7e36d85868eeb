import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { activeBackend, BACKEND_ENV, initBackend, parseBackendRequest } from './select.js';

/** An importer under test control: modules in `present` load, others fail like a missing package. */
function importer(present: string[]) {
  const seen: string[] = [];
  const importModule = async (specifier: string) => {
    seen.push(specifier);
    if (!present.includes(specifier)) throw new Error(`Cannot find package '${specifier}'\n    at resolve`);
    return {};
  };
  return { seen, importModule };
}

/** An activator that records what it was asked to start and succeeds for the listed tfjs names. */
function activator(working: string[]) {
  const started: string[] = [];
  const activate = async (name: string) => {
    started.push(name);
    return working.includes(name);
  };
  return { started, activate };
}

describe('initBackend selection logic', () => {
  afterEach(async () => {
    await initBackend('cpu');
  });

  it('auto prefers tfjs-node-gpu when it loads', async () => {
    const imp = importer([
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs-backend-wasm',
    ]);
    const act = activator(['tensorflow', 'wasm', 'cpu']);
    const info = await initBackend('auto', { ...imp, ...act, env: {} });
    expect(info.name).toBe('node-gpu');
    expect(info.tfBackend).toBe('tensorflow');
    expect(imp.seen).toEqual(['@tensorflow/tfjs-node-gpu']);
    expect(info.attempts).toEqual([{ name: 'node-gpu', ok: true }]);
  });

  it('auto falls back node-gpu → node → wasm → cpu and records why each was skipped', async () => {
    const imp = importer(['@tensorflow/tfjs-backend-wasm']);
    const act = activator(['wasm', 'cpu']);
    const info = await initBackend(undefined, { ...imp, ...act, env: {} });
    expect(info.name).toBe('wasm');
    expect(info.source).toBe('default');
    expect(info.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['node-gpu', false],
      ['node', false],
      ['wasm', true],
    ]);
    expect(info.attempts[0]!.reason).toMatch(
      /@tensorflow\/tfjs-node-gpu could not be loaded \(Cannot find package/,
    );
    expect(info.attempts[0]!.reason).not.toMatch(/at resolve/);
  });

  it('auto reaches cpu when wasm fails to initialise', async () => {
    const imp = importer(['@tensorflow/tfjs-backend-wasm']);
    const act = activator(['cpu']);
    const info = await initBackend('auto', { ...imp, ...act, env: {} });
    expect(info.name).toBe('cpu');
    expect(info.attempts.find((a) => a.name === 'wasm')!.reason).toMatch(
      /could not initialise the 'wasm' backend/,
    );
    expect(act.started).toEqual(['wasm', 'cpu']);
  });

  it('an explicit backend that is missing fails with how to install it', async () => {
    const imp = importer([]);
    const act = activator(['cpu']);
    await expect(initBackend('node-gpu', { ...imp, ...act, env: {} })).rejects.toThrow(
      /backend 'node-gpu' is not available: @tensorflow\/tfjs-node-gpu could not be loaded.*npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/,
    );
    expect(act.started).toEqual([]);
  });

  it('BRIDGEKIT_BACKEND chooses when no argument is given, and the argument wins over it', async () => {
    const imp = importer(['@tensorflow/tfjs-backend-wasm']);
    const fromEnv = await initBackend(undefined, {
      ...imp,
      ...activator(['wasm', 'cpu']),
      env: { [BACKEND_ENV]: 'CPU' },
    });
    expect([fromEnv.name, fromEnv.source]).toEqual(['cpu', 'environment']);
    const fromArg = await initBackend('wasm', {
      ...imp,
      ...activator(['wasm', 'cpu']),
      env: { [BACKEND_ENV]: 'cpu' },
    });
    expect([fromArg.name, fromArg.source]).toEqual(['wasm', 'argument']);
  });

  it('a missing backend named in BRIDGEKIT_BACKEND names the variable', async () => {
    await expect(
      initBackend(undefined, { ...importer([]), ...activator(['cpu']), env: { [BACKEND_ENV]: 'node' } }),
    ).rejects.toThrow(/BRIDGEKIT_BACKEND=node is not available/);
  });

  it('invalid names are refused with the valid ones listed', async () => {
    await expect(initBackend(undefined, { env: { [BACKEND_ENV]: 'gpu' } })).rejects.toThrow(
      /BRIDGEKIT_BACKEND must be one of auto, node-gpu, node, wasm, cpu; got 'gpu'/,
    );
    expect(() => parseBackendRequest('webgl', 'backend')).toThrow(/backend must be one of/);
  });

  it('with nothing available, says what failed for every candidate', async () => {
    await expect(initBackend('auto', { ...importer([]), ...activator([]), env: {} })).rejects.toThrow(
      /no TensorFlow.js backend could be started: node-gpu: .*; node: .*; wasm: .*; cpu: /,
    );
  });
});

describe('initBackend on this machine', () => {
  it('auto starts the first installed backend and tf.getBackend agrees', async () => {
    // tfjs-node(-gpu) cannot be installed on the CI machines (their install downloads libtensorflow),
    // so there auto lands on wasm; on a machine that has them, on the first of them.
    const installed = (m: string) => {
      try {
        createRequire(import.meta.url).resolve(m);
        return true;
      } catch {
        return false;
      }
    };
    const expected = installed('@tensorflow/tfjs-node-gpu')
      ? 'node-gpu'
      : installed('@tensorflow/tfjs-node')
        ? 'node'
        : 'wasm';
    const info = await initBackend('auto', { env: {} });
    expect(info.name).toBe(expected);
    expect(tf.getBackend()).toBe(info.tfBackend);
    expect(activeBackend()).toEqual(info);
  });

  it('cpu and wasm both compute', async () => {
    for (const name of ['cpu', 'wasm'] as const) {
      await initBackend(name);
      expect(tf.getBackend()).toBe(name);
      const y = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync());
      expect(Array.from(y)).toEqual([3, 3, 3, 3]);
    }
  });
});
