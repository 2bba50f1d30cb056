/** Thrown by the band functions when an input is not a band or a list has the wrong length. */
export class BandError extends Error {
  override readonly name = 'BandError';
}
