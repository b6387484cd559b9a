// The mirrors' queries as an importable Grafana dashboard: one row per mirror, a text panel with
// its notes, then for each query two time-series panels side by side (primary left, mirror
// right) whose targets' `expr` are the queries themselves. A `datasource` variable picks the
// Prometheus; namespaces the files do not state are written as `$namespace`, a text-box
// variable (the queries come from mirrorMonitoring with namespaceVariable set).

import { formatPercent } from '../model/trafficShares';
import type { MirrorMonitor, MonitorQuery } from './mirrorMonitoring';

export type GrafanaDashboard = Record<string, unknown>;

const datasource = { type: 'prometheus', uid: '${datasource}' };

/** FNV-1a, for a uid that stays the same for the same mirrors (Grafana then updates on re-import). */
function stableHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function side(host: string, subset: string | null): string {
  return subset ? `${host}/${subset}` : host;
}

/** The mirror's rule by its YAML path, as the routes and trace commands name rules: `http[0] "primary"`, `rules[1]`. */
export function rulePath(monitor: MirrorMonitor): string {
  return `${monitor.route.kind === 'VirtualService' ? 'http' : 'rules'}[${monitor.httpIndex}]${monitor.ruleName !== null ? ` "${monitor.ruleName}"` : ''}`;
}

export function rowTitle(monitor: MirrorMonitor): string {
  return `${monitor.route.kind === 'VirtualService' ? '' : `${monitor.route.kind} `}${monitor.route.name} · ${rulePath(monitor)}: ${side(monitor.primary.host, monitor.primary.subset)} ⇢ mirror ${side(monitor.mirror.host, monitor.mirror.subset)} (${formatPercent(monitor.percent)})`;
}

export function grafanaDashboard(monitors: readonly MirrorMonitor[], assumedNamespace: string): GrafanaDashboard {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const monitor of monitors) {
    panels.push({ type: 'row', id: id++, title: rowTitle(monitor), collapsed: false, panels: [], gridPos: { h: 1, w: 24, x: 0, y } });
    y += 1;
    const notes = monitor.notes.map((note) => `- ${note}`).join('\n');
    panels.push({
      type: 'text', id: id++, title: 'What these panels can and cannot say',
      options: { mode: 'markdown', content: `**Primary** ${side(monitor.primary.host, monitor.primary.subset)}: \`${monitor.primary.reportedAs}\`  \n**Mirror** ${side(monitor.mirror.host, monitor.mirror.subset)}: \`${monitor.mirror.reportedAs}\`\n\n${notes}` },
      gridPos: { h: 6, w: 24, x: 0, y },
    });
    y += 6;
    for (const query of monitor.queries) {
      panels.push(timeSeries(id++, query, 'primary', side(monitor.primary.host, monitor.primary.subset), { x: 0, y }));
      panels.push(timeSeries(id++, query, 'mirror', side(monitor.mirror.host, monitor.mirror.subset), { x: 12, y }));
      y += 8;
    }
  }
  const usesNamespace = monitors.some((monitor) => monitor.primary.namespaceAssumed || monitor.mirror.namespaceAssumed);
  const variables: Record<string, unknown>[] = [
    { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1, options: [] },
  ];
  if (usesNamespace) {
    variables.push({
      name: 'namespace', label: 'Namespace', type: 'textbox', query: assumedNamespace,
      current: { text: assumedNamespace, value: assumedNamespace }, options: [{ text: assumedNamespace, value: assumedNamespace, selected: true }], hide: 0,
      description: 'The namespace the routes without metadata.namespace are applied to',
    });
  }
  const names = [...new Set(monitors.map((monitor) => (monitor.route.kind === 'VirtualService' ? monitor.route.name : `${monitor.route.kind} ${monitor.route.name}`)))];
  const allVirtualServices = monitors.every((monitor) => monitor.route.kind === 'VirtualService');
  return {
    title: `Istio mirrors: ${names.length === 1 ? names[0] : `${names.length} ${allVirtualServices ? 'VirtualServices' : 'routes'}`}`,
    uid: `istio-mirror-${stableHash(names.join(' '))}`,
    description: 'Primary vs mirror, from istio-mirror monitor (reporter="destination": only the receiving sidecar reports mirrored copies).',
    tags: ['istio', 'istio-mirror', 'mirroring'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    timezone: 'browser',
    annotations: { list: [] },
    links: [],
    templating: { list: variables },
    panels,
  };
}

function timeSeries(id: number, query: MonitorQuery, role: 'primary' | 'mirror', target: string, at: { x: number; y: number }): Record<string, unknown> {
  const defaults: Record<string, unknown> = { unit: query.unit, min: 0 };
  if (query.unit === 'percentunit') defaults.max = 1;
  return {
    type: 'timeseries',
    id,
    title: `${query.title} · ${role} ${target}`,
    datasource,
    fieldConfig: { defaults, overrides: [] },
    options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'multi', sort: 'none' } },
    targets: [{ refId: 'A', datasource, expr: query[role], legendFormat: `${role} ${target}`, range: true }],
    gridPos: { h: 8, w: 12, x: at.x, y: at.y },
  };
}
