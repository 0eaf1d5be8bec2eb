/**
 * The "Synk" page: where this console stands with the central tracker and what to do
 * about it. Focus starts on the heading so a keyboard user reads down from the top.
 */
import { useEffect, useRef, useState } from 'react';
import type { UpdateAvailability } from '../../../src-shared/sync.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useTranslation } from 'react-i18next';
import type { SystemInfo } from '../../../src-shared/api.ts';
import { EnrolForm } from './EnrolForm.tsx';
import { MeshSection } from './MeshSection.tsx';
import { QuarantineList } from './QuarantineList.tsx';
import { SyncOverview } from './SyncOverview.tsx';
import { isAdmin, mayEnrol, useAuthState } from './use-auth-state.ts';
import { useSyncStatus } from './use-sync-status.ts';

export function SyncPage(props: { info: SystemInfo | null; onOpenIncident: (id: string) => void }) {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const auth = useAuthState();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  // Issue 15: a newer console release on the tracker (IT installs it on this browser host).
  const api = useApi();
  const [update, setUpdate] = useState<UpdateAvailability | null>(null);
  const live = status?.state === 'live';
  useEffect(() => {
    if (!live) return;
    let current = true;
    void api.call('sync.updateAvailable', {}).then((result) => {
      if (current && result.ok) setUpdate(result.value);
    });
    return () => {
      current = false;
    };
  }, [api, live]);

  return (
    <div className="sync-page">
      <h1 id="sync-heading" ref={heading} tabIndex={-1}>
        {t('sync.page.heading')}
      </h1>
      {!status ? (
        <p className="muted" role="status">
          {t(auth?.session === null && !auth.rosterEmpty ? 'error.unauthenticated' : 'sync.page.loading')}
        </p>
      ) : (
        <>
          <SyncOverview status={status} info={props.info} />
          {update?.available && (
            <p className="sync-update" role="status" data-testid="sync-update">
              <span aria-hidden="true">⬆ </span>
              {t('sync.update.available', { version: update.available, current: update.current })}
            </p>
          )}
          <EnrolForm
            key={status.trackerUrl ?? ''}
            status={status}
            allowed={mayEnrol(auth)}
            defaultLabel={props.info?.unit ?? ''}
          />
          <QuarantineList
            quarantined={status.quarantined}
            mayRelease={isAdmin(auth)}
            onOpenIncident={props.onOpenIncident}
          />
          <MeshSection mesh={status.mesh} isAdmin={isAdmin(auth)} />
        </>
      )}
    </div>
  );
}
