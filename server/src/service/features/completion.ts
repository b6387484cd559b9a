// Completion (being written).
import type { CompletionList } from 'vscode-languageserver-types';
import type { Position } from '../types';
import type { FeatureContext } from './featureContext';

export function doComplete(context: FeatureContext, uri: string, position: Position): CompletionList {
  void context; void uri; void position;
  return { isIncomplete: false, items: [] };
}
