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
    const groups = queryGroups(units);
    const scores = new Float64Array(6);
    for (let row = 0; row < this.size; row++) {
      const offset = row * dims;
      for (const group of groups) {
        group.kernel(this.data, offset, group.interleaved, dims, scores);
        for (let j = 0; j < group.size; j++) tops[group.first + j]!.offer(row, scores[j]!);
      }
    }
    return tops.map((top) => top.sorted());
  }
}

/** Dot product of `length` floats, four accumulators to let the JIT pipeline the multiply-adds. */
function dot(
  a: Float32Array,
  aOffset: number,
  b: Float32Array | Float64Array,
  bOffset: number,
  length: number,
): number {
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

type Kernel = (
  row: Float32Array,
  offset: number,
  queries: Float64Array,
  length: number,
  out: Float64Array,
) => void;

interface QueryGroup {
  /** Index of the group's first query. */
  readonly first: number;
  readonly size: number;
  /** The group's queries interleaved: element i of query j at `i * size + j`, read as one stream. */
  readonly interleaved: Float64Array;
  readonly kernel: Kernel;
}

const KERNELS: Readonly<Record<number, Kernel>> = { 6: dot6, 4: dot4, 2: dot2, 1: dot1 };

/**
 * Splits the queries into groups of 6, 4, 2 and 1 with a dedicated kernel each: one pass over a
 * row computes a whole group's dot products, so each matrix element is loaded once per group
 * instead of once per query (the scan is bound by memory, not arithmetic).
 */
function queryGroups(queries: readonly Float32Array[]): QueryGroup[] {
  const groups: QueryGroup[] = [];
  let first = 0;
  while (first < queries.length) {
    const left = queries.length - first;
    const size = left >= 6 ? 6 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
    const length = queries[first]!.length;
    const interleaved = new Float64Array(length * size);
    for (let j = 0; j < size; j++) {
      const query = queries[first + j]!;
      for (let i = 0; i < length; i++) interleaved[i * size + j] = query[i]!;
    }
    groups.push({ first, size, interleaved, kernel: KERNELS[size]! });
    first += size;
  }
  return groups;
}

function dot6(a: Float32Array, offset: number, q: Float64Array, length: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  for (let i = 0, j = 0; i < length; i++, j += 6) {
    const x = a[offset + i]!;
    s0 += x * q[j]!;
    s1 += x * q[j + 1]!;
    s2 += x * q[j + 2]!;
    s3 += x * q[j + 3]!;
    s4 += x * q[j + 4]!;
    s5 += x * q[j + 5]!;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
  out[4] = s4;
  out[5] = s5;
}

function dot4(a: Float32Array, offset: number, q: Float64Array, length: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0, j = 0; i < length; i++, j += 4) {
    const x = a[offset + i]!;
    s0 += x * q[j]!;
    s1 += x * q[j + 1]!;
    s2 += x * q[j + 2]!;
    s3 += x * q[j + 3]!;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

function dot2(a: Float32Array, offset: number, q: Float64Array, length: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  for (let i = 0, j = 0; i < length; i++, j += 2) {
    const x = a[offset + i]!;
    s0 += x * q[j]!;
    s1 += x * q[j + 1]!;
  }
  out[0] = s0;
  out[1] = s1;
}

function dot1(a: Float32Array, offset: number, q: Float64Array, length: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 2 <= length; i += 2) {
    s0 += a[offset + i]! * q[i]!;
    s1 += a[offset + i + 1]! * q[i + 1]!;
  }
  if (i < length) s0 += a[offset + i]! * q[i]!;
  out[0] = s0 + s1;
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
