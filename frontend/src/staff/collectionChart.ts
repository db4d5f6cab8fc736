// ECharts, loaded only when a collection chart is on screen: residents never download it.
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface CollectionPoint {
  period: string;
  /** Collected / due in basis points; null for a month with nothing due. */
  rateBp: number | null;
  dueFen: number;
  collectedFen: number;
}

export interface Labels {
  rate: string;
  due: string;
  collected: string;
}

/** Draws collection rate (line, %) over amounts due and collected (bars, ¥) per month. */
export function drawCollection(el: HTMLElement, points: CollectionPoint[], labels: Labels): EChartsType {
  const chart = init(el, undefined, { renderer: 'canvas' });
  const yuan = (fen: number) => fen / 100; // display only: the figures come exact from the API
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: points.map((p) => p.period.slice(2)) },
    yAxis: [
      { type: 'value', name: '¥', axisLabel: { formatter: (v: number) => `${v}` } },
      { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } },
    ],
    series: [
      { name: labels.due, type: 'bar', data: points.map((p) => yuan(p.dueFen)) },
      { name: labels.collected, type: 'bar', data: points.map((p) => yuan(p.collectedFen)) },
      {
        name: labels.rate,
        type: 'line',
        yAxisIndex: 1,
        data: points.map((p) => (p.rateBp == null ? null : p.rateBp / 100)),
        label: { show: true, formatter: (x: { value: number | null }) => (x.value == null ? '' : `${x.value.toFixed(1)}%`) },
      },
    ],
  });
  return chart;
}

/** One collection-rate line (%) per compound over the same months. */
export function drawRates(el: HTMLElement, periods: string[], lines: { name: string; ratesBp: (number | null)[] }[]): EChartsType {
  const chart = init(el, undefined, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v == null ? '—' : `${v.toFixed(1)}%`) },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 24 },
    xAxis: { type: 'category', data: periods.map((p) => p.slice(2)) },
    yAxis: { type: 'value', name: '%', min: 0, max: 100 },
    series: lines.map((l) => ({ name: l.name, type: 'line', connectNulls: false, data: l.ratesBp.map((r) => (r == null ? null : r / 100)) })),
  });
  return chart;
}
