/**
 * The sync feature's public face: the header indicator and enrolment for the first-run
 * screen. The Synk page (SyncPage.tsx) is loaded on demand by app/nav.ts, so it is not here.
 */
import './sync.css';

export { SyncIndicator } from './SyncIndicator.tsx';
export { SyncEnrolPanel } from './SyncEnrolPanel.tsx';
