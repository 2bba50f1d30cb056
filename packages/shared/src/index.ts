export * from './bands/index.js';
export * from './catalogue/index.js';
export * from './contracts/index.js';
export * from './names.js';
export * from './openapi/index.js';
export * from './schemas/index.js';
