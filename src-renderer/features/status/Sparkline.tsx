/** RTT of the last probes as a tiny SVG chart; failed probes are red ticks along the bottom. */
import { useTranslation } from 'react-i18next';
import type { RttSample } from '../../../src-shared/telephony.ts';
import { sparkline } from './model/sparkline.ts';
import { formatRtt } from './model/line-state.ts';

const WIDTH = 320;
const HEIGHT = 56;

export function Sparkline(props: { samples: readonly RttSample[] }) {
  const { t, i18n } = useTranslation();
  const chart = sparkline(props.samples, WIDTH, HEIGHT);
  if (!chart.stats) return <p className="muted">{t('status.detail.noSamples')}</p>;
  const { stats } = chart;
  const label = t('status.detail.rttSummary', {
    answered: stats.answered,
    count: stats.count,
    median: formatRtt(stats.median, i18n.language) ?? '–',
    max: formatRtt(stats.max, i18n.language) ?? '–',
  });
  return (
    <figure className="sparkline">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} aria-hidden="true">
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} className="sparkline-bg" />
        {chart.path && <path d={chart.path} className="sparkline-line" />}
        {chart.failures.map((x, i) => (
          <line key={i} x1={x} x2={x} y1={HEIGHT - 12} y2={HEIGHT} className="sparkline-fail" />
        ))}
      </svg>
      <figcaption className="muted">{label}</figcaption>
    </figure>
  );
}
