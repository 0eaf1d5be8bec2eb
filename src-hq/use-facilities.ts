/** Every facility's id and its one display name, for filters and for naming rows by id. */
import { useMemo } from 'react';
import type { HqFacility } from '../src-shared/sync-wire.ts';
import { useHqData } from './use-hq-data.ts';

export function useFacilities(): { list: HqFacility[]; nameOf(id: string): string } {
  const { data } = useHqData<{ facilities: HqFacility[] }>('/v1/hq/facilities', { live: false });
  return useMemo(() => {
    const list = data?.facilities ?? [];
    const names = new Map(list.map((f) => [f.id, f.name]));
    return { list, nameOf: (id: string) => names.get(id) ?? id };
  }, [data]);
}
