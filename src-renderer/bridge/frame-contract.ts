/**
 * The schemas the web bridge checks every incoming frame against. They are zod schemas of
 * the whole console contract (~35 KB gzip with zod), so the bridge imports this module
 * dynamically: it loads alongside the first paint instead of delaying it.
 */
export { ServerFrame } from '../../src-shared/transport.ts';
export { consoleEvents } from '../../src-shared/api.ts';
