/**
 * Enrolment on its own, for the first-run screen: a new console of an existing
 * facility joins it with a one-time code before anyone is on its roster (the core
 * allows `sync.enroll` then), and the roster arrives with the first pull.
 */
import { EnrolForm } from './EnrolForm.tsx';
import { mayEnrol, useAuthState } from './use-auth-state.ts';
import { useSyncStatus } from './use-sync-status.ts';

export function SyncEnrolPanel(props: { unit: string }) {
  const status = useSyncStatus();
  const auth = useAuthState();
  if (!status) return null;
  return <EnrolForm key={status.trackerUrl ?? ''} status={status} allowed={mayEnrol(auth)} defaultLabel={props.unit} />;
}
