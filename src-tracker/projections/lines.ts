/**
 * HQ's current line states and line catalogues (issue 15), folded with the consoles'
 * shared code: a line stream's latest status change wins by the events' own order
 * (`currentLineStates`), and a catalogue stream folds to its latest declaration
 * (`foldLineCatalog`). The overview then reads one row per line instead of a year of
 * events.
 */
import { foldLineCatalog } from '../../src-shared/figures-catalog-fold.ts';
import { currentLineStates } from '../../src-shared/figures-events.ts';
import type { LineStatesTable } from '../db/schema.ts';
import type { StreamProjector } from './refold.ts';

export const lineStateProjector: StreamProjector = {
  name: 'line_states',
  handles: (type) => type === 'line.status_changed',
  fold(facility, streams) {
    const rows: LineStatesTable[] = streams.flatMap((events) =>
      currentLineStates(events).map((s) => ({
        facility,
        line_id: s.lineId,
        state: s.state,
        since: s.since,
        hlc: s.hlc,
      })),
    );
    return async (trx) => {
      for (const row of rows) {
        await trx
          .insertInto('line_states')
          .values(row)
          .onConflict((oc) =>
            oc
              .columns(['facility', 'line_id'])
              .doUpdateSet((eb) => ({
                state: eb.ref('excluded.state'),
                since: eb.ref('excluded.since'),
                hlc: eb.ref('excluded.hlc'),
              }))
              // A line may have two streams (a console adopting the tracker's facility id,
              // migration 0008): an older stream's refold never undoes a newer state.
              .where((eb) =>
                eb.or([eb('line_states.hlc', 'is', null), eb('line_states.hlc', '<=', eb.ref('excluded.hlc'))]),
              ),
          )
          .execute();
      }
    };
  },
};

export const catalogProjector: StreamProjector = {
  name: 'facility_catalogs',
  handles: (type) => type === 'facility.lines_declared',
  fold(facility, streams) {
    // A facility declares under one catalogue stream; should two ever exist, the latest declaration wins.
    const catalog = foldLineCatalog(streams.flat());
    const doc = catalog ? JSON.stringify(catalog) : null;
    return async (trx) => {
      if (doc === null) return;
      await trx
        .insertInto('facility_catalogs')
        .values({ facility, doc })
        .onConflict((oc) => oc.column('facility').doUpdateSet({ doc }))
        .execute();
    };
  },
};
