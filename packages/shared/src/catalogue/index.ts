export * from './env-vars.js';
export * from './metrics.js';
export * from './queues.js';
export * from './read-worker-env.js';
export * from './stream-filter.js';
export * from './worker-catalogue.js';
