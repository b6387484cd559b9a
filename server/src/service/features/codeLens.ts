// Code lenses summarising each HTTP route's traffic split (being written).

import type { CodeLens } from 'vscode-languageserver-types';
import type { FeatureContext } from './featureContext';

export function getCodeLenses(context: FeatureContext, uri: string): CodeLens[] {
  void context; void uri;
  return [];
}
