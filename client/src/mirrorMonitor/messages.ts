// The messages between the mirror-monitor panel (extension host, mirrorMonitorPanel.ts) and its
// webview page (client/media/mirrorMonitorView.ts), defined once for both sides. As for the
// traffic-split page, data travels only this way: the page's HTML carries none.

import type { MirrorMonitorResult } from '../../../server/src/protocol';

/** Host → webview. */
export type MonitorHostMessage =
  /**
   * The monitoring model of the file's mirrors (`istio/mirrorMonitor`). `focus` is set once,
   * when a mirror was asked for (its Monitor lens): the index in `model.monitors` to scroll to.
   */
  | { type: 'show'; fileName: string; model: MirrorMonitorResult; focus?: number }
  /** The text of the copy button `id` is on the clipboard (the button says so for a moment). */
  | { type: 'copied'; id: string };

/** Webview → host. */
export type MonitorWebviewMessage =
  /** The page's script runs: the host (re)sends the current model. */
  | { type: 'ready' }
  /** A copy button was pressed: put `text` on the clipboard; `id` names the button. */
  | { type: 'copy'; id: string; text: string }
  /** "Export Grafana dashboard…" was pressed. */
  | { type: 'exportGrafana' }
  /**
   * The page drew a model: how many mirrors, every query text it shows (primary and mirror of
   * each query, in order) and how many commands (the end-to-end tests read them).
   */
  | { type: 'rendered'; mirrors: number; queries: string[]; commands: number; focused?: number };

/** Longer than any query or command the core writes; anything longer is not ours. */
export const maxCopyLength = 20_000;
const maxQueries = 10_000;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000_000;
}

/**
 * A message from the webview, checked field by field (whatever arrives over postMessage is
 * treated as input); undefined when it is not one of ours.
 */
export function parseMonitorWebviewMessage(value: unknown): MonitorWebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'exportGrafana':
      return { type: 'exportGrafana' };
    case 'copy':
      if (typeof message.text !== 'string' || message.text.length > maxCopyLength) return undefined;
      if (typeof message.id !== 'string' || !/^[\w.-]{1,100}$/.test(message.id)) return undefined;
      return { type: 'copy', id: message.id, text: message.text };
    case 'rendered': {
      const queries = message.queries;
      if (!isCount(message.mirrors) || !isCount(message.commands)) return undefined;
      if (!Array.isArray(queries) || queries.length > maxQueries || !queries.every((query) => typeof query === 'string' && query.length <= maxCopyLength)) return undefined;
      return {
        type: 'rendered', mirrors: message.mirrors, queries: [...queries] as string[], commands: message.commands,
        ...(isCount(message.focused) ? { focused: message.focused } : {}),
      };
    }
    default:
      return undefined;
  }
}
