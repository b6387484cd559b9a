// What every editing feature receives from the facade: the workspace index (all files, their
// documents and models) and the current settings.

import type { IstioSettings } from '../types';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

export interface FeatureContext {
  index: WorkspaceIndex;
  settings: IstioSettings;
}
