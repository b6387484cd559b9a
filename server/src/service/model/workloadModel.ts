// The model of a workload: the object that makes pods — Deployment, StatefulSet, DaemonSet,
// ReplicaSet, a bare Pod, or an Argo Rollout. Istio routes to pods by their labels, so the
// model keeps the pod template's labels, how many replicas the workload asks for, and per
// container the image and the environment variables written as literals (what hovers and the
// mirror's write reminder show).
//
// Workloads are a large share of a manifest tree and are never checked themselves, so they
// are modelled from `readBlockYaml` (a line reader, no syntax tree) and parsed fully only when
// that reader cannot read a value the model needs.

import { readBlockYaml, unreadValue, type BlockValue } from '../parse/blockYamlReader';
import { parseYamlDocument, maxAliasCount } from '../parse/yamlDocument';
import { isPlainObject, plainCount, plainStringMap, type ModelBase } from './modelParts';

export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Rollout'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

const workloadKindSet: ReadonlySet<string> = new Set(workloadKinds);

export function isWorkloadKind(kind: string | undefined): kind is WorkloadKind {
  return kind !== undefined && workloadKindSet.has(kind);
}

/** The API groups each workload kind is recognised under (legacy groups included). */
export function isWorkloadApiVersion(kind: WorkloadKind, apiVersion: string | undefined): boolean {
  if (apiVersion === undefined) return false;
  if (kind === 'Pod') return apiVersion === 'v1';
  if (kind === 'Rollout') return apiVersion.startsWith('argoproj.io/');
  return apiVersion.startsWith('apps/') || apiVersion.startsWith('extensions/');
}

export interface EnvVarModel {
  name: string;
  /** The literal `value`; undefined when it comes from `valueFrom` or is not written. */
  value?: string;
}

export interface ContainerModel {
  name?: string;
  image?: string;
  env: EnvVarModel[];
}

export interface WorkloadModel extends ModelBase {
  kind: WorkloadKind;
  /** `spec.replicas` as written; undefined when not written (see `replicaCount`). */
  replicas?: number;
  /** The labels of the pods it makes (the pod template's, or a Pod's own). */
  podLabels: Record<string, string>;
  /** False when the workload has no pod template here (a Rollout with `workloadRef`). */
  hasPodTemplate: boolean;
  containers: ContainerModel[];
}

/** The number of pods a workload runs: 1 when `replicas` is not written; undefined for a DaemonSet (one per node). */
export function replicaCount(model: WorkloadModel): number | undefined {
  if (model.kind === 'DaemonSet') return undefined;
  if (model.kind === 'Pod') return 1;
  return model.replicas ?? 1;
}

class NeedsFullParse extends Error {}

/**
 * Builds the model of a workload document from its text: read with `readBlockYaml` when it can,
 * else parsed fully. `base` carries the identity read from the document's top-level lines.
 */
export function buildWorkload(text: string, kind: WorkloadKind, base: ModelBase): WorkloadModel {
  const quick = readBlockYaml(text);
  if (quick !== undefined) {
    try {
      return workloadFromData(quick, kind, base);
    } catch (error) {
      if (!(error instanceof NeedsFullParse)) throw error;
    }
  }
  return workloadFromData(fullData(text), kind, base);
}

/** The document as plain data by the full parser (what `readBlockYaml` must agree with). */
export function fullData(text: string): unknown {
  const yaml = parseYamlDocument(text, { duplicateKeys: false });
  try {
    return yaml.doc.toJS({ maxAliasCount });
  } catch {
    return undefined;
  }
}

/** The model from plain data; throws NeedsFullParse when a value it needs was left unread. */
export function workloadFromData(data: unknown, kind: WorkloadKind, base: ModelBase): WorkloadModel {
  const spec = field(data, 'spec');
  const template = kind === 'Pod' ? data : field(spec, 'template');
  const podSpec = kind === 'Pod' ? spec : field(template, 'spec');
  const labels = field(field(template, 'metadata'), 'labels');
  if (isPlainObject(labels) && Object.values(labels).includes(unreadValue)) throw new NeedsFullParse();
  const model: WorkloadModel = {
    ...base,
    kind,
    podLabels: plainStringMap(labels),
    hasPodTemplate: isPlainObject(template) && (kind === 'Pod' || isPlainObject(field(template, 'metadata')) || isPlainObject(podSpec)),
    containers: [],
  };
  if (kind !== 'Pod') {
    const replicas = plainCount(field(spec, 'replicas'));
    if (replicas !== undefined) model.replicas = replicas;
  }
  const containers = field(podSpec, 'containers');
  for (const container of Array.isArray(containers) ? containers : []) {
    if (container === unreadValue) throw new NeedsFullParse();
    if (!isPlainObject(container)) continue;
    const entry: ContainerModel = { env: [] };
    const name = scalarField(container, 'name');
    const image = scalarField(container, 'image');
    if (name !== undefined) entry.name = name;
    if (image !== undefined) entry.image = image;
    const env = field(container, 'env');
    for (const variable of Array.isArray(env) ? env : []) {
      if (variable === unreadValue) throw new NeedsFullParse();
      const variableName = scalarField(variable, 'name');
      if (variableName === undefined) continue;
      const envVar: EnvVarModel = { name: variableName };
      const value = scalarField(variable, 'value');
      if (value !== undefined) envVar.value = value;
      entry.env.push(envVar);
    }
    model.containers.push(entry);
  }
  return model;
}

/** A field of plain data; an unread value on the way throws NeedsFullParse. */
function field(value: unknown, key: string): unknown {
  if (value === unreadValue) throw new NeedsFullParse();
  if (!isPlainObject(value)) return undefined;
  const result = (value as Record<string, BlockValue>)[key];
  if (result === unreadValue) throw new NeedsFullParse();
  return result;
}

function scalarField(value: unknown, key: string): string | undefined {
  const result = field(value, key);
  return result === null || result === undefined || typeof result === 'object' ? undefined : String(result);
}
