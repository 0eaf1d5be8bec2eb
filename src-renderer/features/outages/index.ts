/** The outages feature's public face. */
export { OutagesScreen } from './OutagesScreen.tsx';
export { OutagesPage } from './OutagesPage.tsx';
export { requestOutageFocus } from './outage-focus.ts';
