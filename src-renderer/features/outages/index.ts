/**
 * The outages feature's public face: asking the outages page to focus an outage. The page
 * itself (OutagesPage.tsx) is loaded on demand by app/nav.ts, so it is not exported here.
 */
export { requestOutageFocus } from './outage-focus.ts';
