/**
 * Staff numbers to names, from the roster (`staff.list`, any signed-in staff member may
 * read it). Empty while nobody is signed in: then numbers are shown as they are.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/ApiContext.tsx';

export function useStaffNames(signedInAs: string | null): (staffNumber: string) => string {
  const api = useApi();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (signedInAs === null) return;
    let live = true;
    void api.call('staff.list', {}).then((result) => {
      if (live && result.ok) setNames(new Map(result.value.items.map((s) => [s.staffNumber, s.name])));
    });
    return () => {
      live = false;
    };
  }, [api, signedInAs]);
  return (staffNumber) => {
    const name = names.get(staffNumber);
    return name ? `${name} (${staffNumber})` : staffNumber;
  };
}
