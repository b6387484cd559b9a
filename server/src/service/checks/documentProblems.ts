// Collects the problems found in one YAML document, turning YAML nodes into ranges.
// Every check reports through this, so a range always points at the offending key or value.

import type { Node, Pair } from 'yaml';
import { firstLineRange, keyRange, type YamlDocument } from '../parse/yamlDocument';
import type { Problem, ProblemData, Range, RelatedLocation, SeverityName } from '../types';

export class DocumentProblems {
  readonly problems: Problem[] = [];

  constructor(readonly yaml: YamlDocument) {}

  at(code: string, range: Range, message: string, extra: { data?: ProblemData; severity?: SeverityName; related?: RelatedLocation[] } = {}): void {
    const problem: Problem = { code, range, message };
    if (extra.data) problem.data = extra.data;
    if (extra.severity) problem.severity = extra.severity;
    if (extra.related) problem.related = extra.related;
    this.problems.push(problem);
  }

  /** Reports on a node; a block that spans several lines is reported on its first line. */
  atNode(code: string, node: Node | null | undefined, message: string, data?: ProblemData): void {
    this.at(code, firstLineRange(this.yaml, node), message, data ? { data } : {});
  }

  atKey(code: string, pair: Pair, message: string, data?: ProblemData): void {
    this.at(code, keyRange(this.yaml, pair), message, data ? { data } : {});
  }
}
