export { createSyncEngine, type SyncEngine } from './engine.ts';
export { syncApp } from './app.ts';
