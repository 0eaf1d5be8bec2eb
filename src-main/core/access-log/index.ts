export { createAccessLog, VIEW_WINDOW_MS, type AccessLog } from './access-log.ts';
