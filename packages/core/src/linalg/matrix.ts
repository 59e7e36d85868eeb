/**
 * A small dense float64 matrix, row-major, for host-side linear algebra (kernels of linear SDEs,
 * Cholesky factors, Van Loan exponentials). Instances are immutable by convention: every
 * operation returns a new matrix.
 */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || rows < 0)
      throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
    if (!Number.isInteger(cols) || cols < 0)
      throw new RangeError(`cols must be a non-negative integer, got ${cols}`);
    if (data !== undefined && data.length !== rows * cols) {
      throw new RangeError(`data has length ${data.length}, expected rows*cols = ${rows * cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /** Builds a matrix from nested arrays; every row must have the same length. */
  static from(values: readonly (readonly number[])[]): Matrix {
    const rows = values.length;
    const cols = rows === 0 ? 0 : values[0]!.length;
    const out = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) {
      const row = values[i]!;
      if (row.length !== cols) throw new RangeError(`row ${i} has length ${row.length}, expected ${cols}`);
      for (let j = 0; j < cols; j++) out.data[i * cols + j] = row[j]!;
    }
    return out;
  }

  static zeros(rows: number, cols: number = rows): Matrix {
    return new Matrix(rows, cols);
  }

  static eye(n: number): Matrix {
    const out = new Matrix(n, n);
    for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
    return out;
  }

  /** Diagonal matrix with the given entries. */
  static diag(values: ArrayLike<number>): Matrix {
    const n = values.length;
    const out = new Matrix(n, n);
    for (let i = 0; i < n; i++) out.data[i * n + i] = values[i]!;
    return out;
  }

  /** n×n matrix c·I. */
  static scalar(n: number, c: number): Matrix {
    return Matrix.eye(n).scale(c);
  }

  get isSquare(): boolean {
    return this.rows === this.cols;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++)
      out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  transpose(): Matrix {
    const out = new Matrix(this.cols, this.rows);
    for (let i = 0; i < this.rows; i++)
      for (let j = 0; j < this.cols; j++) out.data[j * this.rows + i] = this.data[i * this.cols + j]!;
    return out;
  }

  add(other: Matrix): Matrix {
    this.assertSameShape(other, 'add');
    const out = new Matrix(this.rows, this.cols);
    for (let k = 0; k < this.data.length; k++) out.data[k] = this.data[k]! + other.data[k]!;
    return out;
  }

  sub(other: Matrix): Matrix {
    this.assertSameShape(other, 'sub');
    const out = new Matrix(this.rows, this.cols);
    for (let k = 0; k < this.data.length; k++) out.data[k] = this.data[k]! - other.data[k]!;
    return out;
  }

  scale(c: number): Matrix {
    const out = new Matrix(this.rows, this.cols);
    for (let k = 0; k < this.data.length; k++) out.data[k] = this.data[k]! * c;
    return out;
  }

  /** Matrix product this · other. */
  mul(other: Matrix): Matrix {
    if (this.cols !== other.rows) {
      throw new RangeError(
        `mul: inner dimensions differ (${this.rows}×${this.cols} · ${other.rows}×${other.cols})`,
      );
    }
    const n = this.rows;
    const m = other.cols;
    const p = this.cols;
    const out = new Matrix(n, m);
    const a = this.data;
    const b = other.data;
    const c = out.data;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < p; k++) {
        const aik = a[i * p + k]!;
        if (aik === 0) continue;
        for (let j = 0; j < m; j++) c[i * m + j]! += aik * b[k * m + j]!;
      }
    }
    return out;
  }

  /** ½(A + Aᵀ): removes the asymmetry that rounding leaves in covariance recursions. */
  symmetrize(): Matrix {
    if (!this.isSquare)
      throw new RangeError(`symmetrize needs a square matrix, got ${this.rows}×${this.cols}`);
    const n = this.rows;
    const out = new Matrix(n, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out.data[i * n + j] = 0.5 * (this.data[i * n + j]! + this.data[j * n + i]!);
    return out;
  }

  trace(): number {
    if (!this.isSquare) throw new RangeError(`trace needs a square matrix, got ${this.rows}×${this.cols}`);
    let s = 0;
    for (let i = 0; i < this.rows; i++) s += this.data[i * this.cols + i]!;
    return s;
  }

  /** Maximum absolute column sum (the induced 1-norm). */
  norm1(): number {
    let best = 0;
    for (let j = 0; j < this.cols; j++) {
      let s = 0;
      for (let i = 0; i < this.rows; i++) s += Math.abs(this.data[i * this.cols + j]!);
      if (s > best) best = s;
    }
    return best;
  }

  /** Largest absolute entry. */
  maxAbs(): number {
    let best = 0;
    for (const v of this.data) if (Math.abs(v) > best) best = Math.abs(v);
    return best;
  }

  /** Copies `block` into a new matrix at (row, col). */
  withBlock(row: number, col: number, block: Matrix): Matrix {
    if (row + block.rows > this.rows || col + block.cols > this.cols) {
      throw new RangeError(
        `withBlock: ${block.rows}×${block.cols} block at (${row},${col}) exceeds ${this.rows}×${this.cols}`,
      );
    }
    const out = this.clone();
    for (let i = 0; i < block.rows; i++)
      for (let j = 0; j < block.cols; j++)
        out.data[(row + i) * this.cols + col + j] = block.data[i * block.cols + j]!;
    return out;
  }

  /** The rows×cols block starting at (row, col). */
  block(row: number, col: number, rows: number, cols: number): Matrix {
    if (row + rows > this.rows || col + cols > this.cols) {
      throw new RangeError(`block: ${rows}×${cols} at (${row},${col}) exceeds ${this.rows}×${this.cols}`);
    }
    const out = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) out.data[i * cols + j] = this.data[(row + i) * this.cols + col + j]!;
    return out;
  }

  private assertSameShape(other: Matrix, op: string): void {
    if (this.rows !== other.rows || this.cols !== other.cols) {
      throw new RangeError(`${op}: shapes differ (${this.rows}×${this.cols} vs ${other.rows}×${other.cols})`);
    }
  }
}
