import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { Matrix } from '../linalg/matrix.js';
import { relativeError } from '../testing/finite-difference.js';
import { tf } from '../tf.js';
import { applyBlockMatrix } from './block-matrix.js';

/** (K ⊗ I_m) applied to each row on the host, the reference. */
function hostApply(x: number[][], k: Matrix): number[][] {
  const n = k.rows;
  return x.map((row) => {
    const m = row.length / n;
    const out = new Array<number>(row.length).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let c = 0; c < m; c++) out[i * m + c]! += k.get(i, j) * row[j * m + c]!;
    return out;
  });
}

describe('applyBlockMatrix', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  const cases: [string, Matrix, number][] = [
    ['scalar (n = 1, VP)', Matrix.from([[0.7]]), 5],
    [
      'full d×d (m = 1, VSDM)',
      Matrix.from([
        [1, 2, 0],
        [-1, 0.5, 3],
        [0.2, 0, -2],
      ]),
      3,
    ],
    [
      '2×2 blocks of width 3 (phase space)',
      Matrix.from([
        [0, 4],
        [-1, -4],
      ]),
      6,
    ],
  ];
  for (const [label, k, width] of cases) {
    it(`${label} matches (K ⊗ I) x on the host`, () => {
      const x = Array.from({ length: 4 }, (_, b) =>
        Array.from({ length: width }, (_, j) => Math.sin(b * 7 + j)),
      );
      const got = tf.tidy(() => applyBlockMatrix(tf.tensor2d(x), k).arraySync());
      expect(relativeError(got.flat(), hostApply(x, k).flat())).toBeLessThan(1e-6);
    });
  }

  it('refuses a width that is not a multiple of the matrix size', () => {
    expect(() => applyBlockMatrix(tf.zeros([2, 5]) as tf.Tensor2D, Matrix.eye(2))).toThrow(
      /x has 5 columns, which is not a multiple of the matrix size 2/,
    );
  });
});
