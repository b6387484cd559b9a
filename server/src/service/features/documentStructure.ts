// Outline (document symbols), folding ranges and selection ranges (being written).

import type { DocumentSymbol, FoldingRange, SelectionRange } from 'vscode-languageserver-types';
import type { Position } from '../types';
import type { FeatureContext } from './featureContext';

export function findDocumentSymbols(context: FeatureContext, uri: string): DocumentSymbol[] {
  void context; void uri;
  return [];
}

export function getFoldingRanges(context: FeatureContext, uri: string): FoldingRange[] {
  void context; void uri;
  return [];
}

export function getSelectionRanges(context: FeatureContext, uri: string, positions: Position[]): SelectionRange[] {
  void context; void uri; void positions;
  return [];
}
