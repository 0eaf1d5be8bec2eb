export { createEscalationRunner, type EscalationRunner } from './runner.ts';
export { escalationApp } from './app.ts';
export { escalationProjector, createEscalationQueries, type EscalationQueries } from './projection.ts';
export { createAlarmFeed, visibleAlarms, type AlarmFeed, type Viewer } from './alarms.ts';
export { escalationIdFor, stepEventId, ESCALATION_NAMESPACE } from './model.ts';
