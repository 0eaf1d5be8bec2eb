/** Availability over time (line) and downtime per line (bars) for the period report. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';
import { Chart } from './Chart.tsx';

const AXIS = { stroke: '#c9d1d9', grid: { stroke: '#30363d', width: 1 }, ticks: { stroke: '#30363d', width: 1 } };

export function AvailabilityChart(props: { report: PeriodReport }) {
  const { t } = useTranslation();
  const { points } = props.report.series;
  const data = useMemo<uPlot.AlignedData>(
    () => [points.map((p) => p.from / 1000), points.map((p) => p.availabilityPct)],
    [points],
  );
  const lowest = Math.min(100, ...points.map((p) => p.availabilityPct ?? 100));
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: 240,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: [Math.max(0, Math.floor(lowest) - 1), 100] } },
      axes: [AXIS, { ...AXIS, values: (_u, splits) => splits.map((v) => `${v} %`), size: 60 }],
      series: [
        {},
        {
          label: t('reports.chart.availability'),
          stroke: '#58a6ff',
          width: 2,
          fill: 'rgba(88,166,255,0.15)',
          spanGaps: false,
          points: { show: points.length < 60 },
        },
      ],
    }),
    [t, lowest, points.length],
  );
  return <Chart options={options} data={data} label={t('reports.chart.availability')} testId="availability-chart" />;
}

export function DowntimeChart(props: { report: PeriodReport }) {
  const { t } = useTranslation();
  const lines = props.report.lines;
  const data = useMemo<uPlot.AlignedData>(
    () => [lines.map((_l, i) => i), lines.map((l) => Math.round((l.lineDowntimeMs / 60_000) * 10) / 10)],
    [lines],
  );
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: 240,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, lines.length - 0.5)] }, y: { range: [0, null] } },
      axes: [
        {
          ...AXIS,
          splits: () => lines.map((_l, i) => i),
          values: (_u, splits) => splits.map((i) => lines[i]?.name ?? ''),
        },
        { ...AXIS, values: (_u, splits) => splits.map((v) => `${v} min`), size: 70 },
      ],
      series: [
        {},
        {
          label: t('reports.chart.downtime'),
          stroke: '#f0883e',
          fill: 'rgba(240,136,62,0.75)',
          paths: uPlot.paths.bars!({ size: [0.6, 60] }),
          points: { show: false },
        },
      ],
    }),
    [t, lines],
  );
  return <Chart options={options} data={data} label={t('reports.chart.downtime')} testId="downtime-chart" />;
}
