// The floor: what parsing alone costs, in this process, with the same `yaml` the server bundles.

import { performance } from 'node:perf_hooks';
import { parseAllDocuments, parseDocument } from 'yaml';
import { stats, type Stats } from './measure';

export interface FloorResult {
  /** The first `parseAllDocuments` of the file in this process (JIT still warming up). */
  firstParseMs: number;
  /** One `parseAllDocuments` of the whole file (warm). */
  fullParse: Stats;
  /** One document re-parsed alone with `parseDocument`. */
  documentParse: Stats;
  documentLines: number;
}

export function measureFloor(text: string, documentText: string, fullRuns: number, documentRuns: number): FloorResult {
  const time = (run: () => unknown): number => {
    const started = performance.now();
    run();
    return performance.now() - started;
  };
  // The first run is reported apart; the others are warm (as the server's parser is after its first files).
  const firstParseMs = time(() => parseAllDocuments(text));
  const full: number[] = [];
  for (let i = 0; i < fullRuns; i++) full.push(time(() => parseAllDocuments(text)));
  for (let i = 0; i < 20; i++) parseDocument(documentText);
  const single: number[] = [];
  for (let i = 0; i < documentRuns; i++) single.push(time(() => parseDocument(documentText)));
  return { firstParseMs, fullParse: stats(full), documentParse: stats(single), documentLines: documentText.split('\n').length - 1 };
}
