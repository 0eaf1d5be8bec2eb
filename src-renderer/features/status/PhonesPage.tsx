/** The "Telefoner" page of the shell's nav: the status board, with its detail and demo controls. */
import { requestOutageFocus } from '../outages/index.ts';
import { StatusBoard } from './StatusBoard.tsx';

export function PhonesPage(props: { onNavigate?: (page: 'outages') => void }) {
  const { onNavigate } = props;
  return (
    <StatusBoard
      onShowOutage={
        onNavigate
          ? (outageId) => {
              requestOutageFocus(outageId);
              onNavigate('outages');
            }
          : undefined
      }
    />
  );
}
