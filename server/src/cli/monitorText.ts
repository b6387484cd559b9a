// Renders the mirrors' monitoring for `istio-mirror monitor`: per mirror, the two sides and the
// label Istio reports for each, every query pair, the commands, and the notes.

import type { MirrorMonitor, MonitorTarget } from '../service/features/mirrorMonitoring';
import { rulePath } from '../service/features/grafanaDashboard';
import { formatPercent } from '../service/model/trafficShares';

function name(target: MonitorTarget): string {
  return target.subset ? `${target.host}/${target.subset}` : target.host;
}

function monitorLines(monitor: MirrorMonitor, file: string): string[] {
  const where = monitor.kind === 'mirror' ? 'mirror' : monitor.kind === 'mirrors' ? `mirrors[${monitor.mirrorIndex}]` : `RequestMirror filters[${monitor.mirrorIndex}]`;
  const lines = [
    `${monitor.route.kind} ${monitor.route.name} · ${rulePath(monitor)} · ${where}  (${file}:${monitor.range.start.line + 1})`,
    `  primary  ${name(monitor.primary).padEnd(24)}  ${monitor.primary.reportedAs}`,
    `  mirror   ${name(monitor.mirror).padEnd(24)}  ${monitor.mirror.reportedAs}  · ${formatPercent(monitor.percent)} of the rule's requests copied`,
  ];
  for (const query of monitor.queries) {
    lines.push('', `  ${query.title}`, `    primary: ${query.primary}`, `    mirror:  ${query.mirror}`);
  }
  if (monitor.commands.length > 0) {
    lines.push('', '  commands:');
    for (const command of monitor.commands) lines.push(`    # ${command.description}`, `    ${command.command}`);
  }
  if (monitor.notes.length > 0) {
    lines.push('', '  notes:');
    for (const note of monitor.notes) lines.push(`    - ${note}`);
  }
  return lines;
}

export function formatMonitorText(monitors: readonly MirrorMonitor[], fileOf: (uri: string) => string): string {
  if (monitors.length === 0) return 'No mirror found (no VirtualService http rule has mirror or mirrors, no HTTPRoute or GRPCRoute rule a RequestMirror filter).';
  return monitors.map((monitor) => monitorLines(monitor, fileOf(monitor.file)).join('\n')).join('\n\n');
}
