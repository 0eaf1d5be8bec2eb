export { auditApp } from './app.ts';
export { redactPayload } from './redact.ts';
