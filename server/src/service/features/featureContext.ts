// What every editing feature receives from the facade: the workspace index (all files, their
// documents and models) and the current settings.

import type { IstioSettings } from '../types';
import type { IndexedFile, WorkspaceIndex } from '../workspace/workspaceIndex';

export interface FeatureContext {
  index: WorkspaceIndex;
  settings: IstioSettings;
}

/** The full text of an indexed file (its documents are contiguous slices of it). */
export function fileText(file: IndexedFile): string {
  return file.documents.map((document) => document.text).join('');
}
