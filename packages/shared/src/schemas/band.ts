import { isBand } from '../bands/is-band.js';
import * as z from './zod.js';

/**
 * A band on the IELTS scale: 0 to 9 in steps of 0.5. A criterion band outside the scale or between
 * half bands is a malformed model answer, never rounded into shape.
 */
export const BandSchema = z
  .number()
  .check(
    z.gte(0),
    z.lte(9),
    z.multipleOf(0.5),
    z.refine(isBand, { message: 'Must be a band: 0 to 9 in steps of 0.5' }),
  );
export type Band = z.infer<typeof BandSchema>;
