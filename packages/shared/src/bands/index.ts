export * from './band-error.js';
export * from './band-maths.js';
export * from './is-band.js';
export * from './test-bands.js';
