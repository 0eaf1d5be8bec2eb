/** The "Avbrott" page of the shell's nav. */
import { useEffect, useState } from 'react';
import { OutagesScreen } from './OutagesScreen.tsx';
import { clearOutageFocus, requestedOutageFocus } from './outage-focus.ts';

export function OutagesPage() {
  const [highlight] = useState(requestedOutageFocus);
  useEffect(() => clearOutageFocus(), []);
  return <OutagesScreen highlight={highlight} />;
}
