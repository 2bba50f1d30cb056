import { z } from 'zod';
import { isBand } from '../bands/is-band.js';

/**
 * A band on the IELTS scale: 0 to 9 in steps of 0.5. A criterion band outside the scale or between
 * half bands is a malformed model answer, never rounded into shape.
 */
export const BandSchema = z
  .number()
  .min(0)
  .max(9)
  .multipleOf(0.5)
  .refine(isBand, { message: 'Must be a band: 0 to 9 in steps of 0.5' });
export type Band = z.infer<typeof BandSchema>;
