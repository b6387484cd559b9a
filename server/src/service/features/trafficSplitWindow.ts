// The traffic split of one file as an editor's preview needs it while the user types: every
// VirtualService (and Gateway API route, listed with them in file order, marked by `kind`) when
// the file holds a few, and only the one under the cursor when it holds many (a 2,000-document file would otherwise cost the server a model of every VirtualService,
// and the preview a page of 100,000 elements, on each keystroke). Says which VirtualService and
// rule the cursor is in, and how many the file holds.

import type { GatewayRouteModel } from '../model/gatewayApiRoutes';
import type { VirtualServiceModel } from '../model/resourceModel';
import { namespaceOf } from '../model/resourceModel';
import type { Position } from '../types';
import type { ResourceEntry } from '../workspace/workspaceIndex';
import type { FeatureContext } from './featureContext';
import { splitOfGatewayRoute } from './gatewayRouteSplit';
import { splitOfVirtualService, type SplitVirtualService, type TrafficSplitModel } from './trafficSplit';

export interface TrafficSplitWindow extends TrafficSplitModel {
  /** Index in `virtualServices` of the VirtualService under the position, when there is one. */
  activeIndex?: number;
  /** Index in that VirtualService's `routes` of the rule under the position, when there is one. */
  activeRoute?: number;
  /** Routing resources in the file; more than `virtualServices.length` when only one is shown. */
  totalVirtualServices: number;
  /** Position in the file (0-based, among its VirtualServices) of `virtualServices[0]`. */
  firstIndex: number;
}

/**
 * The split of `uri`'s VirtualServices: all of them when there are at most `limit`, else the
 * one containing `position` (or the last one before it, or the first).
 */
export function trafficSplitWindow(context: FeatureContext, uri: string, position: Position | undefined, limit: number): TrafficSplitWindow {
  const file = context.index.getFile(uri);
  const entries: ResourceEntry<VirtualServiceModel | GatewayRouteModel>[] = [];
  let containing = -1;
  let before = -1;
  file?.documents.forEach((document, documentIndex) => {
    const model = document.analysis.model;
    if (model?.kind !== 'VirtualService' && model?.kind !== 'HTTPRoute' && model?.kind !== 'GRPCRoute') return;
    const start = document.slice.startLine;
    if (position && start <= position.line) {
      before = entries.length;
      if (position.line < start + Math.max(1, document.slice.lineCount)) containing = entries.length;
    }
    entries.push({ uri, documentIndex, startLine: start, model, namespace: namespaceOf(model, context.settings.defaultNamespace) });
  });
  const all = entries.length <= limit;
  const firstIndex = all ? 0 : Math.max(0, containing >= 0 ? containing : before);
  const shown = all ? entries : entries.slice(firstIndex, firstIndex + 1);
  const result: TrafficSplitWindow = {
    virtualServices: shown.map((entry) => splitOf(context, entry)),
    totalVirtualServices: entries.length,
    firstIndex,
  };
  if (containing >= 0) {
    const active = containing - firstIndex;
    result.activeIndex = active;
    const line = position!.line;
    const route = result.virtualServices[active]!.routes.findIndex((candidate) => candidate.fullRange.start.line <= line && line <= candidate.fullRange.end.line);
    if (route >= 0) result.activeRoute = route;
  }
  return result;
}

function splitOf(context: FeatureContext, entry: ResourceEntry<VirtualServiceModel | GatewayRouteModel>): SplitVirtualService {
  return entry.model.kind === 'VirtualService'
    ? splitOfVirtualService(context, entry as ResourceEntry<VirtualServiceModel>)
    : splitOfGatewayRoute(context, entry as ResourceEntry<GatewayRouteModel>);
}
