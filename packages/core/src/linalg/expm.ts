import { solve } from './lu.js';
import { Matrix } from './matrix.js';

// Padé coefficients b_0..b_m of the [m/m] approximant to e^x, from Higham (2005), Table 2.1 / eq. (2.5).
const PADE_3 = [120, 60, 12, 1] as const;
const PADE_5 = [30240, 15120, 3360, 420, 30, 1] as const;
const PADE_7 = [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1] as const;
const PADE_9 = [
  17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1,
] as const;
const PADE_13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
] as const;

// θ_m: largest ‖A‖₁ for which the [m/m] approximant has backward error ≤ 2⁻⁵³ (Higham 2005, Table 2.3).
const THETA = {
  3: 1.495585217958292e-2,
  5: 2.53939833006323e-1,
  7: 9.504178996162932e-1,
  9: 2.097847961257068,
  13: 5.371920351148152,
} as const;

/**
 * Matrix exponential e^A by the scaling and squaring method with Padé approximants (Higham 2005,
 * "The scaling and squaring method for the matrix exponential revisited", Algorithm 2.3).
 *
 * The smallest degree m ∈ {3, 5, 7, 9} whose threshold θ_m bounds ‖A‖₁ is used unscaled; otherwise
 * A is scaled by 2^−s so that ‖A/2^s‖₁ ≤ θ₁₃, the [13/13] approximant is evaluated and squared s times.
 */
export function expm(a: Matrix): Matrix {
  if (!a.isSquare) throw new RangeError(`expm: a must be square, got ${a.rows}×${a.cols}`);
  const bad = a.data.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new RangeError(`expm: a must have finite entries, got ${bad}`);
  const norm = a.norm1();
  const n = a.rows;
  const eye = Matrix.eye(n);
  if (norm <= THETA[3]) return padeLowDegree(a, eye, PADE_3);
  if (norm <= THETA[5]) return padeLowDegree(a, eye, PADE_5);
  if (norm <= THETA[7]) return padeLowDegree(a, eye, PADE_7);
  if (norm <= THETA[9]) return padeLowDegree(a, eye, PADE_9);
  const s = Math.max(0, Math.ceil(Math.log2(norm / THETA[13])));
  let r = pade13(s === 0 ? a : a.scale(2 ** -s), eye);
  for (let i = 0; i < s; i++) r = r.mul(r);
  return r;
}

/** r_m(A) = (V − U)⁻¹(V + U) with U the odd and V the even part of the degree-m numerator polynomial. */
function padeLowDegree(a: Matrix, eye: Matrix, b: readonly number[]): Matrix {
  const a2 = a.mul(a);
  let power = eye;
  let odd = eye.scale(b[1]!);
  let even = eye.scale(b[0]!);
  for (let k = 2; k < b.length; k += 2) {
    power = power.mul(a2);
    odd = odd.add(power.scale(b[k + 1]!));
    even = even.add(power.scale(b[k]!));
  }
  const u = a.mul(odd);
  return solve(even.sub(u), even.add(u));
}

/** The [13/13] approximant, evaluated with 6 products instead of 12 via Higham's eq. (2.3) grouping. */
function pade13(a: Matrix, eye: Matrix): Matrix {
  const b = PADE_13;
  const a2 = a.mul(a);
  const a4 = a2.mul(a2);
  const a6 = a4.mul(a2);
  const u = a.mul(
    a6
      .mul(a6.scale(b[13]).add(a4.scale(b[11])).add(a2.scale(b[9])))
      .add(a6.scale(b[7]))
      .add(a4.scale(b[5]))
      .add(a2.scale(b[3]))
      .add(eye.scale(b[1])),
  );
  const v = a6
    .mul(a6.scale(b[12]).add(a4.scale(b[10])).add(a2.scale(b[8])))
    .add(a6.scale(b[6]))
    .add(a4.scale(b[4]))
    .add(a2.scale(b[2]))
    .add(eye.scale(b[0]));
  return solve(v.sub(u), v.add(u));
}
