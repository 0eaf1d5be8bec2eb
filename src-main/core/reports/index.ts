/** Public face of the reports feature: outage ledger, figures, exports. */
export { reportsApp, type ReportsAppDeps } from './app.ts';
export { createReportSource, type ReportSource } from './report-source.ts';
export { declareLines, catalogOf, CATALOG_ACTOR } from './line-catalog.ts';
