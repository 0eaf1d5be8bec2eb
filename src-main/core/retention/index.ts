export { retentionApp } from './app.ts';
export { createRetention, DEFAULT_SWEEP_INTERVAL_MS, FIRST_SWEEP_DELAY_MS, type Retention } from './retention.ts';
export { hlcCutoff, isDue } from './model.ts';
