/** Telephony commands and queries on the console API. Roles are checked by dispatch (src-shared/access.ts). */
import type { FeatureApp } from '../app.ts';
import type { Telephony } from './telephony.ts';

export function telephonyApp(telephony: Telephony): FeatureApp {
  return {
    name: 'telephony',
    handlers: {
      'lines.board': () => telephony.board(),
      'lines.history': (input) => telephony.history(input.lineId, input.limit),
      'lines.reportProblem': (input, ctx) =>
        telephony.reportProblem({ lineId: input.lineId, problem: input.problem, text: input.text }, ctx.actor),
      'outages.list': (input) => ({ items: telephony.outages(input.open === true, input.limit) }),
      'outages.confirm': (input, ctx) => telephony.decide(input.outageId, 'confirm', input.note, ctx.actor),
      'outages.dismiss': (input, ctx) => telephony.decide(input.outageId, 'dismiss', input.note, ctx.actor),
      'outages.resolve': (input, ctx) => telephony.decide(input.outageId, 'resolve', input.note, ctx.actor),
      'config.status': () => telephony.configStatus(),
      'demo.status': () => {
        const faults = telephony.demoFaults();
        return { enabled: faults !== null, faults: faults ?? {} };
      },
      'demo.setLineFault': async (input) => ({
        enabled: true,
        faults: await telephony.setDemoFault(input.lineId, input.fault),
      }),
    },
  };
}
