/** Public face of the browser host. */
export { createWebHost, API_PATH, type WebHost, type WebHostOptions } from './web-host.ts';
