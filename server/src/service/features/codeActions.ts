// Quick fixes for diagnostics (being written; see the facade for the contract).

import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { Range } from '../types';
import type { FeatureContext } from './featureContext';

export function getCodeActions(context: FeatureContext, uri: string, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  void context; void uri; void range; void diagnostics;
  return [];
}
