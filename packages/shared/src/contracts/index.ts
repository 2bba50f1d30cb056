export * from './published-contracts.js';
