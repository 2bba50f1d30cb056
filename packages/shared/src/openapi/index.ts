export * from './api-gateway-compat.js';
export * from './api-operations.js';
export * from './build-document.js';
export * from './components.js';
