/** A row of the index and its cosine similarity to a query. */
export interface VectorHit {
  readonly index: number;
  readonly score: number;
}

/**
 * An in-memory matrix of unit vectors, one row per chunk, in one contiguous `Float32Array`. Rows and
 * queries are normalised on the way in, so cosine similarity is a plain dot product. A document has
 * at most a few thousand chunks, so an exact scan beats any approximate index here (5,000 x 1,024 is
 * a 20 MB scan; see `bench/rag.bench.ts`).
 */
export class VectorIndex {
  private constructor(
    readonly dimensions: number,
    readonly size: number,
    private readonly data: Float32Array,
  ) {}

  static fromVectors(vectors: readonly Float32Array[], dimensions: number): VectorIndex {
    const data = new Float32Array(vectors.length * dimensions);
    vectors.forEach((vector, row) => {
      if (vector.length !== dimensions) {
        throw new Error(`vector ${row} has ${vector.length} dimensions, the index has ${dimensions}`);
      }
      data.set(vector, row * dimensions);
      normalizeInPlace(data.subarray(row * dimensions, (row + 1) * dimensions));
    });
    return new VectorIndex(dimensions, vectors.length, data);
  }

  /** A view of row `index` (not a copy). */
  row(index: number): Float32Array {
    return this.data.subarray(index * this.dimensions, (index + 1) * this.dimensions);
  }

  /** Cosine similarity of two rows. */
  similarity(a: number, b: number): number {
    return dot(this.data, a * this.dimensions, this.data, b * this.dimensions, this.dimensions);
  }

  /**
   * The `k` best rows for each query, best first. All queries are scored in one pass over the
   * matrix, so each row is read from memory once however many queries there are.
   */
  searchMany(queries: readonly Float32Array[], k: number): VectorHit[][] {
    const dims = this.dimensions;
    const units = queries.map((query) => {
      if (query.length !== dims)
        throw new Error(`query has ${query.length} dimensions, the index has ${dims}`);
      const copy = Float32Array.from(query);
      normalizeInPlace(copy);
      return copy;
    });
    const keep = Math.min(k, this.size);
    const tops = units.map(() => new TopK(keep));
    const scores = new Float64Array(4);
    for (let row = 0; row < this.size; row++) {
      const offset = row * dims;
      // Four queries per pass: each matrix element is loaded once for four multiply-adds.
      let q = 0;
      for (; q + 4 <= units.length; q += 4) {
        dot4(this.data, offset, units[q]!, units[q + 1]!, units[q + 2]!, units[q + 3]!, dims, scores);
        tops[q]!.offer(row, scores[0]!);
        tops[q + 1]!.offer(row, scores[1]!);
        tops[q + 2]!.offer(row, scores[2]!);
        tops[q + 3]!.offer(row, scores[3]!);
      }
      if (q + 2 <= units.length) {
        dot2(this.data, offset, units[q]!, units[q + 1]!, dims, scores);
        tops[q]!.offer(row, scores[0]!);
        tops[q + 1]!.offer(row, scores[1]!);
        q += 2;
      }
      if (q < units.length) tops[q]!.offer(row, dot(this.data, offset, units[q]!, 0, dims));
    }
    return tops.map((top) => top.sorted());
  }
}

/** Dot product of `length` floats, four accumulators to let the JIT pipeline the multiply-adds. */
function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end4 = length - (length % 4);
  for (; i < end4; i += 4) {
    s0 += a[aOffset + i]! * b[bOffset + i]!;
    s1 += a[aOffset + i + 1]! * b[bOffset + i + 1]!;
    s2 += a[aOffset + i + 2]! * b[bOffset + i + 2]!;
    s3 += a[aOffset + i + 3]! * b[bOffset + i + 3]!;
  }
  for (; i < length; i++) s0 += a[aOffset + i]! * b[bOffset + i]!;
  return s0 + s1 + s2 + s3;
}

/** Dot products of one row with four queries at once, written to `out[0..3]`. */
function dot4(
  a: Float32Array,
  offset: number,
  q0: Float32Array,
  q1: Float32Array,
  q2: Float32Array,
  q3: Float32Array,
  length: number,
  out: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < length; i++) {
    const x = a[offset + i]!;
    s0 += x * q0[i]!;
    s1 += x * q1[i]!;
    s2 += x * q2[i]!;
    s3 += x * q3[i]!;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/** Dot products of one row with two queries at once, written to `out[0..1]`. */
function dot2(
  a: Float32Array,
  offset: number,
  q0: Float32Array,
  q1: Float32Array,
  length: number,
  out: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let t0 = 0;
  let t1 = 0;
  let i = 0;
  for (; i + 2 <= length; i += 2) {
    const x = a[offset + i]!;
    const y = a[offset + i + 1]!;
    s0 += x * q0[i]!;
    s1 += x * q1[i]!;
    t0 += y * q0[i + 1]!;
    t1 += y * q1[i + 1]!;
  }
  for (; i < length; i++) {
    const x = a[offset + i]!;
    s0 += x * q0[i]!;
    s1 += x * q1[i]!;
  }
  out[0] = s0 + t0;
  out[1] = s1 + t1;
}

function normalizeInPlace(vector: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  // A zero vector stays zero: it matches nothing rather than dividing by zero.
  if (sum === 0) return;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale;
}

/** The k largest scores seen, kept in a small sorted array (k is tens, not thousands). */
class TopK {
  private readonly indices: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  offer(index: number, score: number): void {
    const size = this.scores.length;
    if (this.k === 0 || (size === this.k && score <= this.scores[size - 1]!)) return;
    let at = size;
    while (at > 0 && this.scores[at - 1]! < score) at--;
    this.scores.splice(at, 0, score);
    this.indices.splice(at, 0, index);
    if (this.scores.length > this.k) {
      this.scores.pop();
      this.indices.pop();
    }
  }

  sorted(): VectorHit[] {
    return this.indices.map((index, i) => ({ index, score: this.scores[i]! }));
  }
}
