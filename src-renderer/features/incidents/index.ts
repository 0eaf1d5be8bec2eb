/** The incidents feature's public face. */
export { IncidentsScreen } from './IncidentsScreen.tsx';
export { IncidentForm } from './IncidentForm.tsx';
export { IncidentDetail } from './IncidentDetail.tsx';
export { EMPTY_FILTER, type ListFilter } from './IncidentFilters.tsx';
export type { ListSelection } from './IncidentList.tsx';
export { createIncidentPages, type IncidentPages } from './incident-pages.ts';
