/** The audit feature's public face: the admins' Granskning page. */
export { AuditPage } from './AuditPage.tsx';
