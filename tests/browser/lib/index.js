// index.js — everything the browser tests use, from one import.
export * from './env.js';
export * from './server.js';
export * from './api.js';
export * from './browser.js';
export * from './client.js';
export * from './data.js';
export * from './e2e.js';
export * from './kiosk.js';
