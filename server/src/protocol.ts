// The custom LSP requests of istio-mirror, defined once and imported by both the language
// server and the VS Code client (any other editor can call them too). Every method is under
// `istio/`. Data only: the types and request objects, no behaviour.

import { RequestType } from 'vscode-languageserver-protocol';
import type { Position, Range, WorkspaceEdit } from 'vscode-languageserver-types';

/** What the document at a position was recognised as (for the status item). */
export interface ResourceInfoParams {
  uri: string;
  position: Position;
}

export interface ResourceInfo {
  /** `VirtualService`, `DestinationRule`, another kind, or undefined for non-Kubernetes YAML. */
  kind?: string;
  apiVersion?: string;
  name?: string;
  namespace?: string;
  /** True for the kinds istio-mirror validates. */
  validated: boolean;
  /** Documents in the file, and how many of them are validated. */
  documents: number;
  validatedDocuments: number;
}

export const resourceInfoRequest = new RequestType<ResourceInfoParams, ResourceInfo, void>('istio/resourceInfo');

/** Answers for the canary mirroring scaffold; every field has a default. */
export interface CanaryScaffoldOptions {
  app?: string;
  namespace?: string;
  port?: number;
  stableVersion?: string;
  stableImage?: string;
  canaryVersion?: string;
  canaryImage?: string;
  mirrorPercentage?: number;
  /** Mirror only requests carrying this header with this value. */
  mirrorHeader?: { name: string; value: string };
  /** Give the canary environment variables that turn off writes (mirrored requests must not write twice). */
  disableCanaryWrites?: boolean;
  apiVersion?: string;
}

export interface CanaryScaffoldResult {
  /** The complete multi-document YAML: Deployments, Service, DestinationRule, VirtualService. */
  text: string;
  /** The options after defaults were applied. */
  options: Required<Omit<CanaryScaffoldOptions, 'mirrorHeader'>> & Pick<CanaryScaffoldOptions, 'mirrorHeader'>;
}

export const scaffoldCanaryRequest = new RequestType<CanaryScaffoldOptions, CanaryScaffoldResult, void>('istio/scaffoldCanary');

/** Where a mirror can be added: the HTTP route under the cursor and the candidate targets. */
export interface MirrorTargetsParams {
  uri: string;
  position: Position;
}

export interface MirrorTarget {
  host: string;
  subset?: string;
  /** e.g. "subset of DestinationRule demo/reviews, labels version=v2". */
  description: string;
}

export interface MirrorTargets {
  /** Undefined when the cursor is not in an HTTP route of a VirtualService. */
  route?: { index: number; name?: string; range: Range; hasMirror: boolean; hasMirrors: boolean };
  targets: MirrorTarget[];
  defaultPercentage: number;
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

export interface CreateDestinationRuleResult {
  /** The host the rule is for, as written in the VirtualService. */
  host: string;
  subsets: string[];
  edit: WorkspaceEdit;
}

/** A DestinationRule for the destination host under the cursor (or the VirtualService's first host). */
export const createDestinationRuleRequest = new RequestType<CreateDestinationRuleParams, CreateDestinationRuleResult | null, void>('istio/createDestinationRule');
