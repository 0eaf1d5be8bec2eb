/**
 * Progress of the core's long jobs (issue 16: every long job shows progress): the chain
 * check, reports and exports, retention sweeps push `jobs.progress` while they run in the
 * background; this shows the running one of the given methods as a bar with its share
 * in text, and nothing once it has finished.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PushEventPayload } from '../../src-shared/api.ts';
import { usePushEvent } from '../api/ApiContext.tsx';

export type JobProgressEvent = PushEventPayload<'jobs.progress'>;
export type JobMethod = JobProgressEvent['method'];

/** The job to show after `event`: the newest running one of `methods`; null once it has finished. */
export function nextShown(
  current: JobProgressEvent | null,
  event: JobProgressEvent,
  methods: readonly JobMethod[],
): JobProgressEvent | null {
  if (!methods.includes(event.method)) return current;
  if (event.total > 0 && event.done >= event.total) return current?.job === event.job ? null : current;
  return event.total === 0 ? current : event; // nothing to count yet (an empty log)
}

export function JobProgressView({ running }: { running: JobProgressEvent }) {
  const { t } = useTranslation();
  const percent = running.total > 0 ? Math.min(100, Math.floor((running.done / running.total) * 100)) : 0;
  const label = t(`jobs.${running.method}`);
  return (
    <p className="job-progress" role="status" data-testid="job-progress">
      {label}{' '}
      <progress max={100} value={percent} aria-label={label}>
        {percent} %
      </progress>{' '}
      {t('jobs.percent', { percent })}
    </p>
  );
}

export function JobProgress({ methods }: { methods: readonly JobMethod[] }) {
  const [running, setRunning] = useState<JobProgressEvent | null>(null);
  usePushEvent('jobs.progress', (event) => setRunning((current) => nextShown(current, event, methods)));
  return running ? <JobProgressView running={running} /> : null;
}
