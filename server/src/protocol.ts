// The custom LSP requests of istio-mirror, defined once and imported by both the language
// server and the VS Code client (any other editor can call them too). Every method is under
// `istio/`. Data only: the types and request objects, no behaviour.

import { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Position, WorkspaceEdit } from 'vscode-languageserver-types';
import type { CreateDestinationRuleResult } from './service/features/edits/commandEdits';
import type { MirrorTarget, MirrorTargets, ResourceInfo } from './service/features/editorCommands';
import type { CanaryScaffoldOptions, CanaryScaffoldResult } from './service/features/scaffold';
import type { SplitDestination, SplitMirror, SplitRoute, SplitVirtualService, TargetTotal, TrafficSplitModel } from './service/features/trafficSplit';
import type { HttpRouteConversion } from './service/features/convertToHttpRoute';
import type { MirrorMonitor, MonitorCommand, MonitorQuery, MonitorTarget } from './service/features/mirrorMonitoring';
import type { GrafanaDashboard } from './service/features/grafanaDashboard';
import type { TraceResult } from './service/features/requestTrace';

export type { CanaryScaffoldOptions, CanaryScaffoldResult, CreateDestinationRuleResult, MirrorTarget, MirrorTargets, ResourceInfo };
export type { SplitDestination, SplitMirror, SplitRoute, SplitVirtualService, TargetTotal, TrafficSplitModel };
export type { HttpRouteConversion };
export type { GrafanaDashboard, MirrorMonitor, MonitorCommand, MonitorQuery, MonitorTarget };

/** What the document at a position was recognised as (for the status item). */
export interface ResourceInfoParams {
  uri: string;
  position: Position;
}

export const resourceInfoRequest = new RequestType<ResourceInfoParams, ResourceInfo, void>('istio/resourceInfo');

export const scaffoldCanaryRequest = new RequestType<CanaryScaffoldOptions, CanaryScaffoldResult, void>('istio/scaffoldCanary');

/** Where a mirror can be added: the HTTP route under the cursor and the candidate targets. */
export interface MirrorTargetsParams {
  uri: string;
  position: Position;
}

export const mirrorTargetsRequest = new RequestType<MirrorTargetsParams, MirrorTargets, void>('istio/mirrorTargets');

export interface AddMirrorParams {
  uri: string;
  position: Position;
  target: { host: string; subset?: string };
  percentage: number;
}

/** The edit that adds the mirror (or converts to `mirrors`); null when the cursor is not in a route. */
export const addMirrorRequest = new RequestType<AddMirrorParams, WorkspaceEdit | null, void>('istio/addMirror');

export interface CreateDestinationRuleParams {
  uri: string;
  position: Position;
}

/** A DestinationRule for the destination host under the cursor (or the VirtualService's first host). */
export const createDestinationRuleRequest = new RequestType<CreateDestinationRuleParams, CreateDestinationRuleResult | null, void>('istio/createDestinationRule');

/** The traffic split of the VirtualServices in a file; `activeIndex` is the one containing `position`. */
export interface TrafficSplitParams {
  uri: string;
  position?: Position;
  /**
   * At most this many VirtualServices in full: a file with more gets only the one under
   * `position` (see `totalVirtualServices`). Default: all.
   */
  limit?: number;
}

export interface TrafficSplitResult extends TrafficSplitModel {
  /** Index in `virtualServices` of the VirtualService under `position`, when there is one. */
  activeIndex?: number;
  /** Index in that VirtualService's `routes` of the rule under `position`, when there is one. */
  activeRoute?: number;
  /** Documents of the file that are Helm (Go) templates: not YAML until rendered, so not previewed. */
  templateDocuments?: number;
  /** VirtualServices in the file (more than `virtualServices.length` past `limit`). */
  totalVirtualServices?: number;
  /** Position among the file's VirtualServices of `virtualServices[0]`. */
  firstIndex?: number;
}

export const trafficSplitRequest = new RequestType<TrafficSplitParams, TrafficSplitResult, void>('istio/trafficSplit');

// Workspace diagnostics (issue 11): every indexed file's findings, published now, and the totals.
export interface CheckWorkspaceResult {
  /** Files checked (the index: the workspace's YAML files and the open ones). */
  files: number;
  filesWithProblems: number;
  errors: number;
  warnings: number;
  /** Information and hints. */
  others: number;
}

export const checkWorkspaceRequest = new RequestType0<CheckWorkspaceResult, void>('istio/checkWorkspace');

// Gateway API (issue 13) -------------------------------------------------------------------

export interface ConvertToHttpRouteParams {
  uri: string;
  position: Position;
}

/**
 * The VirtualService at `position` converted to an HTTPRoute plus one Service per subset
 * (`text`), with what could not be converted (`notConverted`); null when there is none there.
 * In `istio/trafficSplit` results, Gateway API routes are listed in `virtualServices` with the
 * VirtualServices, in file order, told apart by `kind`, so the panel shows them alike.
 */
export const convertToHttpRouteRequest = new RequestType<ConvertToHttpRouteParams, HttpRouteConversion | null, void>('istio/convertToHttpRoute');

// Monitoring a mirror (issue 15) ------------------------------------------------------------

export interface MirrorMonitorParams {
  uri: string;
  /** The rate window, a PromQL duration; default (and for anything else) `5m`, as the CLI. */
  window?: string;
}

export interface MirrorMonitorResult {
  /** The rate window the queries use. */
  window: string;
  /** Every mirror of the file's routes, in file order: the model `istio-mirror monitor` prints. */
  monitors: MirrorMonitor[];
}

/** The monitoring model of the mirrors of one file (the Monitor code lens and its panel). */
export const mirrorMonitorRequest = new RequestType<MirrorMonitorParams, MirrorMonitorResult, void>('istio/mirrorMonitor');

/**
 * The Grafana dashboard of the file's mirrors, as `istio-mirror monitor --format grafana` builds
 * it (the same function); null when the file has no mirror.
 */
export const grafanaDashboardRequest = new RequestType<MirrorMonitorParams, GrafanaDashboard | null, void>('istio/grafanaDashboard');

// Where one request goes (issue 14): the core of `istio-mirror trace`, for the traffic-split
// preview's "Try a request" form. The Istio release is the `istioMirror.istioVersion` setting.
export type { TraceMirror, TraceResult, TraceTarget } from './service/features/requestTrace';

export interface TraceRequestParams {
  /** The host the client calls (`reviews`, `shop.example.com`). */
  host: string;
  path?: string;
  method?: string;
  /** Header names in any case. */
  headers?: Record<string, string>;
  /** `mesh` (default) or `namespace/name` of a Gateway. */
  gateway?: string;
  /** The client's namespace (short hosts resolve in it). */
  namespace?: string;
}

export const traceRequestRequest = new RequestType<TraceRequestParams, TraceResult | null, void>('istio/traceRequest');
