/**
 * Pages that are not needed for the first paint (reports with uPlot, audit, staff, sync,
 * outages) are separate chunks, fetched when first opened. While a chunk loads the page
 * says so; when it cannot load (the host restarted with a new build, a broken file) the
 * page says that and offers a reload instead of taking the whole console down.
 */
import { Component, Suspense, lazy, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function PageLoading() {
  const { t } = useTranslation();
  return (
    <p className="page-loading" role="status">
      {t('app.loadingPage')}
    </p>
  );
}

function PageLoadFailed(props: { reason: string }) {
  const { t } = useTranslation();
  return (
    <div className="page-load-failed" role="alert">
      <p>{t('app.pageLoadFailed', { reason: props.reason })}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {t('app.reload')}
      </button>
    </div>
  );
}

class LoadBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    return this.state.error ? <PageLoadFailed reason={this.state.error.message} /> : this.props.children;
  }
}

/** A page component whose code is fetched on first render. */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(async () => ({ default: await load() }));
  function LazyPage(props: P) {
    return (
      <LoadBoundary>
        <Suspense fallback={<PageLoading />}>
          <Lazy {...props} />
        </Suspense>
      </LoadBoundary>
    );
  }
  return LazyPage;
}
