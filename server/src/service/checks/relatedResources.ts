// Related locations of cross-resource findings. A finding is cached with its document until
// what it depends on changes, but the resources it points at may move when their own file is
// edited above them; so findings keep the live index entries and the locations are read when
// the finding is reported.

import type { ResourceModel } from '../model/resourceModel';
import type { Problem, Range, RelatedLocation } from '../types';
import type { IndexedResource, ResourceEntry, WorkspaceIndex } from '../workspace/workspaceIndex';
import { shiftRange } from '../util/lineRanges';

export interface RelatedSource {
  entry: ResourceEntry;
  message: string;
  /** The range within the entry's document (read from its model again if it was re-analysed); its `metadata.name` when omitted. */
  pick?: (model: ResourceModel) => Range | undefined;
}

/** A cross-resource finding: the problem and the resources that explain it. */
export interface Finding {
  problem: Problem;
  related: RelatedSource[];
}

export function relatedTo(entry: ResourceEntry, message: string, pick?: (model: ResourceModel) => Range | undefined): RelatedSource {
  return pick ? { entry, message, pick } : { entry, message };
}

export function relatedLocationOf(source: RelatedSource, index: WorkspaceIndex): RelatedLocation {
  const entry = index.currentEntry(source.entry as IndexedResource) ?? source.entry;
  const range = source.pick?.(entry.model) ?? entry.model.name?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    uri: entry.uri,
    range: shiftRange(range, entry.startLine),
    message: source.message,
  };
}
