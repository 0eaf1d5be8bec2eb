/**
 * A uPlot chart that follows React: built on mount with the container's width, rebuilt
 * when its data or options change. uPlot draws on canvas, which prints into the PDF.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function Chart(props: {
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
  label: string;
  testId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { options, data } = props;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(320, Math.min(el.clientWidth || 900, 1100));
    const plot = new uPlot({ ...options, width }, data, el);
    return () => plot.destroy();
  }, [options, data]);
  return <div ref={box} className="report-chart" role="img" aria-label={props.label} data-testid={props.testId} />;
}
