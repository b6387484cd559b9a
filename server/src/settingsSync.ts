// Settings from the client: pulled with workspace/configuration when the client supports it
// (re-pulled on every didChangeConfiguration), else read from the notification itself. A change
// of the index settings (enable, exclude) rebuilds the index; every change republishes.

import { DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import type { ServerContext } from './serverContext';
import { runSafeAsync } from './runSafe';
import { configurationSection, parseSettings } from './settings';

/** Pulls the settings from the client; rebuilds the index when `reindex` and its settings changed. */
export async function loadSettings(ctx: ServerContext, reindex = true): Promise<void> {
  if (!ctx.client.configuration) return;
  const raw: unknown = await ctx.connection.workspace.getConfiguration(configurationSection);
  const next = parseSettings(raw);
  const previous = ctx.settings;
  ctx.settings = next;
  ctx.service.configure(next.service);
  if (previous.diagnosticsScope !== next.diagnosticsScope) {
    if (next.diagnosticsScope === 'openFiles') ctx.closedFiles.clearAll();
    else ctx.closedFiles.schedule([...ctx.service.index.allFiles()].map((file) => file.uri)); // open ones are skipped there
  }
  if (reindex && (previous.indexWorkspace !== next.indexWorkspace || previous.exclude.join('\n') !== next.exclude.join('\n'))) {
    await ctx.indexWorkspace();
  }
}

/** Registers for configuration changes (after initialisation, when the client supports pulling). */
export function registerForSettingsChanges(ctx: ServerContext): void {
  if (ctx.client.configuration) {
    void ctx.connection.client.register(DidChangeConfigurationNotification.type, { section: configurationSection });
  }
}

export function handleSettingsChanges(ctx: ServerContext): void {
  ctx.connection.onDidChangeConfiguration((change) => {
    void runSafeAsync(ctx.log, 'configuration change', async () => {
      if (ctx.client.configuration) {
        await loadSettings(ctx);
      } else {
        const raw = (change.settings as Record<string, unknown> | undefined)?.[configurationSection];
        ctx.settings = parseSettings(raw);
        ctx.service.configure(ctx.settings.service);
      }
      ctx.schedule(ctx.documents.keys());
      // Every finding may change with the settings (severities, default namespace, cluster
      // domain): the files that are not open are re-published too (skipped there for scope openFiles).
      ctx.closedFiles.schedule([...ctx.service.index.allFiles()].map((file) => file.uri));
    }, undefined);
  });
}
