// Hover (being written).
import type { Hover } from 'vscode-languageserver-types';
import type { Position } from '../types';
import type { FeatureContext } from './featureContext';

export function doHover(context: FeatureContext, uri: string, position: Position): Hover | null {
  void context; void uri; void position;
  return null;
}
