// The LSP side of monitoring a mirror (issue 15): `istio/mirrorMonitor` (the file's mirrors as
// the core's monitoring model, for the Monitor code lens's panel) and `istio/grafanaDashboard`
// (the dashboard `istio-mirror monitor --format grafana` prints, for the panel's export). Both
// answer from the workspace index, so subsets, Services and workloads in other files count.

import { normalizeUri } from './documentUris';
import { grafanaDashboardRequest, mirrorMonitorRequest, type MirrorMonitorParams } from './protocol';
import { runSafe } from './runSafe';
import type { ServerContext } from './serverContext';
import { editorMonitorWindow } from './service/features/codeLens';
import { isPromDuration } from './service/features/promQuery';

function windowOf(params: MirrorMonitorParams): string {
  return typeof params.window === 'string' && isPromDuration(params.window) ? params.window : editorMonitorWindow;
}

export function registerMirrorMonitorRequests(ctx: ServerContext): void {
  const { connection, service, documents, log } = ctx;
  connection.onRequest(mirrorMonitorRequest, (params) => runSafe(log, 'mirror monitor', () => {
    const window = windowOf(params);
    return documents.toClient({ window, monitors: service.mirrorMonitoring({ window, uris: [normalizeUri(params.uri)] }) });
  }, { window: windowOf(params), monitors: [] }));
  connection.onRequest(grafanaDashboardRequest, (params) => runSafe(log, 'Grafana dashboard', () => {
    const uris = [normalizeUri(params.uri)];
    const window = windowOf(params);
    if (service.mirrorMonitoring({ window, uris }).length === 0) return null;
    return service.grafanaDashboard({ window, uris });
  }, null));
}
