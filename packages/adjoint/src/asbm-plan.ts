/** How `bridgekit train --method asbm --steps N` divides N steps between the stages and phases. */
export interface AsbmStepPlan {
  readonly rounds: number;
  readonly correctorSteps: number;
  readonly adjointSteps: number;
  readonly bridgeSteps: number;
}

/**
 * Splits `steps` gradient steps: stage 2 (bridge matching) gets ⌊bridgeFraction·steps⌋, stage 1 the rest,
 * in `rounds` equal rounds of ⌊correctorShare·round⌋ corrector steps and the remainder adjoint steps
 * (any leftover goes to stage 2). Every phase gets at least one step, or the error says which flag to
 * change.
 */
export function asbmStepPlan(
  steps: number,
  options: { rounds: number; bridgeFraction: number; correctorShare: number },
): AsbmStepPlan {
  const { rounds, bridgeFraction, correctorShare } = options;
  if (!Number.isSafeInteger(steps) || steps < 1)
    throw new RangeError(`steps must be an integer ≥ 1, got ${steps}`);
  if (!Number.isSafeInteger(rounds) || rounds < 1)
    throw new RangeError(`rounds must be an integer ≥ 1, got ${rounds}`);
  if (!(bridgeFraction > 0 && bridgeFraction < 1)) {
    throw new RangeError(`bridgeFraction must lie in (0, 1), got ${bridgeFraction}`);
  }
  if (!(correctorShare > 0 && correctorShare < 1)) {
    throw new RangeError(`correctorShare must lie in (0, 1), got ${correctorShare}`);
  }
  // The epsilon keeps products such as 0.29·100 = 28.999…96 from flooring one step short.
  const floor = (v: number) => Math.floor(v + 1e-9);
  const perRound = Math.floor((steps - floor(bridgeFraction * steps)) / rounds);
  const correctorSteps = floor(correctorShare * perRound);
  const adjointSteps = perRound - correctorSteps;
  const bridgeSteps = steps - rounds * perRound;
  if (correctorSteps < 1 || adjointSteps < 1 || bridgeSteps < 1) {
    throw new RangeError(
      `--steps ${steps} is too few for ${rounds} round(s) of corrector and adjoint matching plus bridge matching ` +
        `(${correctorSteps} corrector, ${adjointSteps} adjoint steps per round, ${bridgeSteps} bridge steps); ` +
        `raise --steps or lower --rounds`,
    );
  }
  return { rounds, correctorSteps, adjointSteps, bridgeSteps };
}
