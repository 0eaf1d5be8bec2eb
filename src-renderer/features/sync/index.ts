/** The sync feature's public face: the header indicator, the Synk page, and enrolment for the first-run screen. */
import './sync.css';

export { SyncIndicator } from './SyncIndicator.tsx';
export { SyncPage } from './SyncPage.tsx';
export { SyncEnrolPanel } from './SyncEnrolPanel.tsx';
