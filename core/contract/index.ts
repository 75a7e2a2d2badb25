export * from './entities.js';
export * from './api.js';
export * from './events.js';
export * from './client.js';
export * from './wms.js';
export * from './config.js';
export * from './rules.js';
export * from './identifiers.js';
