// Code lenses above each HTTP rule of every VirtualService, saying where its requests go:
// `→ stable 77.8 % · canary 22.2 % · mirror → canary-v2 25 %`. Weights are relative, so the
// shares are normalised as Istio applies them; every mirror shows the share of requests it
// receives a copy of; a rule no request can reach says so and why. The words are the outline's
// (structureTraffic.ts), so the two never disagree.
//
// A lens needs a command to be shown, and LSP does not allow an empty command id: each lens
// carries `istioMirror.showTrafficSplit` with (uri, rule index in `http`, file line of the
// rule), the line telling apart VirtualServices of one multi-document file. The client binds it.
//
// Every mirror (VirtualService `mirror` and `mirrors` entries, HTTPRoute/GRPCRoute RequestMirror
// filters) gets a second lens, "Monitor", on the line of its host, carrying
// `istioMirror.showMirrorMonitor` with (uri, line, character) of that host. The places come from
// mirrorMonitoring.ts's own walk over the mirrors (`monitoredMirrorRanges`, the ranges of the
// monitors `istio-mirror monitor` lists), so a lens exists exactly where the CLI and the panel
// have a monitor; the client asks `istio/mirrorMonitor` for the model.
//
// Titles carry workspace names: `plainLabel` keeps them on one line, capped, with `$(…)` escaped
// (VS Code would render it as an icon).

import type { CodeLens } from 'vscode-languageserver-types';
import { toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { monitoredMirrorRanges } from './mirrorMonitoring';
import { trafficSummary } from './structureTraffic';
import { plainLabel } from '../util/labelText';

export const showTrafficSplitCommand = 'istioMirror.showTrafficSplit';
export const showMirrorMonitorCommand = 'istioMirror.showMirrorMonitor';
/** The rate window the editor's queries use (the CLI's default `--window`). */
export const editorMonitorWindow = '5m';

export function getCodeLenses(context: FeatureContext, uri: string): CodeLens[] {
  const file = context.index.getFile(uri);
  if (!file) return [];
  const lenses: CodeLens[] = [];
  for (const document of file.documents) {
    const model = document.analysis.model;
    // Gateway API routes (issue 13) get the same lenses, from their rules in the VirtualService rule model.
    const rules = model?.kind === 'VirtualService' ? model.http : model?.kind === 'HTTPRoute' || model?.kind === 'GRPCRoute' ? model.rules.map((rule) => rule.route) : undefined;
    if (!rules) continue;
    for (const rule of rules) {
      const start = toFileRange(document.slice, rule.fullRange).start;
      // Numbered as in messages, the outline and the preview (ruleLabel's #N).
      // No arrow where nothing is forwarded: a rule never used, or one whose fault aborts every request.
      const forwards = rule.unreachableReason === undefined && !(rule.fault && rule.fault.abortPercent >= 100);
      const title = plainLabel(`#${rule.index + 1} ${forwards ? '→ ' : ''}${trafficSummary(rule)}`);
      lenses.push({
        range: { start, end: start },
        command: { title, command: showTrafficSplitCommand, arguments: [uri, rule.index, start.line] },
      });
    }
  }
  for (const range of monitoredMirrorRanges(context, [uri])) {
    const start = range.start;
    lenses.push({
      range: { start, end: start },
      command: { title: 'Monitor', command: showMirrorMonitorCommand, arguments: [uri, start.line, start.character] },
    });
  }
  return lenses.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
