/** Public face of the reports feature: the period report page (figures, charts, ledger, exports). */
export { ReportsPage } from './ReportsPage.tsx';
