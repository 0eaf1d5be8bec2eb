/** The sync feature's public face: the header indicator and the Synk page. */
import './sync.css';

export { SyncIndicator } from './SyncIndicator.tsx';
export { SyncPage } from './SyncPage.tsx';
