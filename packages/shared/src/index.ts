export * from './catalogue/index.js';
export * from './names.js';
