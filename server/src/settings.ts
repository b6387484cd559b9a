// Turns the raw `istioMirror` settings section a client sends into typed settings: the
// service's part (IstioSettings) and the server's own part (indexing, excludes). Unknown or
// malformed values fall back to defaults, so a bad settings.json never breaks the server.

import { parseIstioRelease } from './service/model/istioReleases';
import { defaultSettings, type IstioSettings, type SeveritySetting } from './service/types';

/** The configuration section every client uses (`istioMirror.*` in VS Code). */
export const configurationSection = 'istioMirror';

export interface ServerSettings {
  service: IstioSettings;
  /** Build the workspace index from all YAML files under the workspace folders. */
  indexWorkspace: boolean;
  /** Glob patterns (relative to a workspace folder) of files and folders to leave out of the index. */
  exclude: string[];
  /** Whose findings are published: every indexed file's (`workspace`), or the open files' only. */
  diagnosticsScope: DiagnosticsScope;
}

export type DiagnosticsScope = 'workspace' | 'openFiles';

export const defaultExclude = ['**/node_modules/**', '**/.git/**'];

const severityValues = new Set<SeveritySetting>(['error', 'warning', 'information', 'hint', 'off']);

export function parseSettings(raw: unknown): ServerSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const severity: Record<string, SeveritySetting> = {};
  if (section.severity && typeof section.severity === 'object') {
    for (const [code, value] of Object.entries(section.severity as Record<string, unknown>)) {
      if (typeof value === 'string' && severityValues.has(value as SeveritySetting)) severity[code] = value as SeveritySetting;
    }
  }
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback);
  const percentage = typeof section.defaultMirrorPercentage === 'number' && section.defaultMirrorPercentage >= 0 && section.defaultMirrorPercentage <= 100
    ? section.defaultMirrorPercentage
    : defaultSettings.defaultMirrorPercentage;
  const index = section.index && typeof section.index === 'object' ? (section.index as Record<string, unknown>) : {};
  const diagnostics = section.diagnostics && typeof section.diagnostics === 'object' ? (section.diagnostics as Record<string, unknown>) : {};
  const exclude = Array.isArray(section.exclude) ? section.exclude.filter((item): item is string => typeof item === 'string') : [];
  return {
    service: {
      severity,
      defaultNamespace: text(section.defaultNamespace, defaultSettings.defaultNamespace),
      clusterDomain: text(section.clusterDomain, defaultSettings.clusterDomain),
      defaultApiVersion: text(section.defaultApiVersion, defaultSettings.defaultApiVersion),
      defaultMirrorPercentage: percentage,
      istioVersion: supportedRelease(section.istioVersion) ?? defaultSettings.istioVersion,
    },
    indexWorkspace: index.enable !== false,
    exclude: [...defaultExclude, ...exclude],
    diagnosticsScope: diagnostics.scope === 'openFiles' ? 'openFiles' : 'workspace',
  };
}

/** An Istio release the translation knows (1.18 or newer), as `1.27`; undefined otherwise. */
function supportedRelease(value: unknown): string | undefined {
  const release = typeof value === 'string' ? parseIstioRelease(value) : undefined;
  return release && release.major === 1 && release.minor >= 18 ? `${release.major}.${release.minor}` : undefined;
}
