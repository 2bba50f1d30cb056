import type { VectorHit, VectorIndex } from './vector-index.js';

/** A chunk chosen by MMR, with its relevance (best similarity to any query). */
export interface MmrPick {
  readonly index: number;
  readonly relevance: number;
}

/**
 * Maximal Marginal Relevance (Carbonell & Goldstein, 1998): repeatedly take the candidate with the
 * best `lambda * relevance - (1 - lambda) * (max similarity to what is already taken)`. With
 * lambda = 1 this is plain top-n by relevance; lower values trade relevance for coverage, so the
 * card writer sees different parts of the document rather than five near-copies of one paragraph.
 */
export function selectWithMmr(
  index: VectorIndex,
  candidates: readonly VectorHit[],
  count: number,
  lambda: number,
): MmrPick[] {
  const pool = [...candidates];
  const picked: MmrPick[] = [];
  // Highest similarity of each pool entry to anything picked so far, updated incrementally.
  const redundancy = new Float64Array(pool.length).fill(Number.NEGATIVE_INFINITY);
  const taken = new Uint8Array(pool.length);
  while (picked.length < count && picked.length < pool.length) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      const penalty = picked.length === 0 ? 0 : redundancy[i]!;
      const score = lambda * pool[i]!.score - (1 - lambda) * penalty;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    const chosen = pool[best]!;
    picked.push({ index: chosen.index, relevance: chosen.score });
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      const similarity = index.similarity(pool[i]!.index, chosen.index);
      if (similarity > redundancy[i]!) redundancy[i] = similarity;
    }
  }
  return picked;
}

/**
 * Merges per-query hit lists into one candidate list: each row once, scored by its best
 * similarity to any query, best first.
 */
export function mergeHits(hitLists: readonly (readonly VectorHit[])[]): VectorHit[] {
  const best = new Map<number, number>();
  for (const hits of hitLists) {
    for (const { index, score } of hits) {
      const seen = best.get(index);
      if (seen === undefined || score > seen) best.set(index, score);
    }
  }
  return [...best.entries()]
    .map(([index, score]) => ({ index, score }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}
