import { tf } from '@bridgekit/core';
import type { Trajectory } from '@bridgekit/samplers';
import type { AdjointPath } from './adjoint-path.js';
import { describe } from './validate.js';

/**
 * A sampler's recorded trajectory (`record: true` in @bridgekit/samplers) as an {@link AdjointPath}: the
 * host states uploaded as [B, D] float32 tensors, which the caller disposes. The grid must run forward
 * in time (t_0 < … < t_K), as generation does in the flow-matching convention of AM/EAM (algorithms.md §0).
 */
export function pathFromTrajectory(trajectory: Trajectory): AdjointPath {
  const where = 'pathFromTrajectory';
  if (typeof trajectory !== 'object' || trajectory === null || !Array.isArray(trajectory.states)) {
    throw new TypeError(
      `${where}: trajectory must be a sampler's recorded { t, states, shape } (pass record: true), got ${describe(trajectory)}`,
    );
  }
  const { t, states, shape } = trajectory;
  if (t.length !== states.length) {
    throw new RangeError(
      `${where}: trajectory.t has ${t.length} times but trajectory.states has ${states.length}`,
    );
  }
  for (let k = 1; k < t.length; k++) {
    if (!(t[k]! > t[k - 1]!)) {
      throw new RangeError(
        `${where}: trajectory.t must increase (the adjoint runs backward along a forward-time path), ` +
          `got t[${k - 1}] = ${t[k - 1]} then t[${k}] = ${t[k]}; a reverse-time sampler's grid does not fit`,
      );
    }
  }
  const size = shape[0] * shape[1];
  for (const [k, s] of states.entries()) {
    if (s.length !== size) {
      throw new RangeError(
        `${where}: trajectory.states[${k}] has ${s.length} values, expected ${shape[0]}·${shape[1]}`,
      );
    }
  }
  return {
    times: Float64Array.from(t),
    states: states.map((s) => tf.tensor2d(s, [shape[0], shape[1]], 'float32')),
  };
}
