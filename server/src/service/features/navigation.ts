// Go to definition, find references and rename for subsets and hosts (being written).

import type { Location, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Position, Range } from '../types';
import type { FeatureContext } from './featureContext';

export function findDefinition(context: FeatureContext, uri: string, position: Position): Location[] {
  void context; void uri; void position;
  return [];
}

export function findReferences(context: FeatureContext, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  void context; void uri; void position; void includeDeclaration;
  return [];
}

export function prepareRename(context: FeatureContext, uri: string, position: Position): { range: Range; placeholder: string } | null {
  void context; void uri; void position;
  return null;
}

export function doRename(context: FeatureContext, uri: string, position: Position, newName: string): WorkspaceEdit | null {
  void context; void uri; void position; void newName;
  return null;
}
