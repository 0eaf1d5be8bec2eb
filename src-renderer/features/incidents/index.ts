/**
 * The incidents feature's public face. The screens themselves (IncidentsScreen.tsx,
 * IncidentForm.tsx, IncidentDetail.tsx) are loaded by the shell on demand, fetched right
 * after the first paint (the sign-in screen), so they are not exported here.
 */
export { EMPTY_FILTER, type ListFilter } from './IncidentFilters.tsx';
export type { ListSelection } from './IncidentList.tsx';
export { createIncidentPages, type IncidentPages } from './incident-pages.ts';
