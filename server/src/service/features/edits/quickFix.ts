// What every quick fix receives (the diagnostic, located in its parsed document) and returns
// (titled edits), shared by the fix modules in this folder and the dispatcher in
// ../codeActions.ts.

import type { Diagnostic } from 'vscode-languageserver-types';
import type { Pair, ParsedNode } from 'yaml';
import type { ProblemData } from '../../types';
import type { DocumentContext } from '../documentAt';
import type { FeatureContext } from '../featureContext';
import { EditBuilder } from './yamlEdits';
import type { YamlSource } from './yamlSource';

/** A diagnostic found again in the current text of its document. */
export interface FixTarget {
  context: FeatureContext;
  document: DocumentContext;
  source: YamlSource;
  diagnostic: Diagnostic;
  data: ProblemData;
  /** `data.path`: from the document root to the node the finding is about. */
  path: (string | number)[];
  /** The node at `path` (for a key finding, the key's value). */
  node?: ParsedNode;
  /** The pair whose key is `path`'s last step, when that step is a key. */
  pair?: Pair<ParsedNode, ParsedNode | null>;
  /** The collection holding `node` (the node at `path` minus its last step). */
  parent?: ParsedNode;
}

export interface QuickFix {
  title: string;
  edits: EditBuilder;
  /** Set only when this fix is clearly what the user wants (editors may apply it automatically). */
  preferred: boolean;
}

export type Fixer = (target: FixTarget) => QuickFix[];

/**
 * Builds one fix: `write` adds the edits and returns false when the YAML has a shape the
 * edit cannot handle safely, in which case nothing is offered.
 */
export function quickFix(title: string, preferred: boolean, write: (edits: EditBuilder) => boolean): QuickFix[] {
  const edits = new EditBuilder();
  return write(edits) ? [{ title, edits, preferred }] : [];
}

/** The last key of a path (the field a finding is about), for titles. */
export function fieldOf(path: readonly (string | number)[]): string {
  for (let index = path.length - 1; index >= 0; index--) {
    const step = path[index];
    if (typeof step === 'string') return step;
  }
  return 'value';
}
