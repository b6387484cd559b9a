// Analyses the files of a large tree in worker threads. Parsing YAML is most of the CLI's work
// and each document is analysed on its own, so the files are shared out between workers (one
// per core); each worker reads, splits and analyses its files and sends back the compact
// analyses (plain data). The main thread only indexes them and runs the cross-file checks.
// The worker runs this same bundled file (dist/cli.js) with `workerData` set.

import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { AnalysisContext } from '../service/documentAnalysis';
import { analyzeFile, type IndexedDocument } from '../service/workspace/workspaceIndex';
import { readTextFileSync } from '../workspaceFiles';

interface WorkerInput {
  files: string[];
  context: AnalysisContext;
  /** Send the documents' texts back too (for views that parse documents again, such as the Envoy routes). */
  keepTexts?: boolean;
}

interface FileResult {
  file: string;
  /** Undefined when the file could not be read. */
  documents?: IndexedDocument[];
  /** Why the file could not be read. */
  failure?: string;
}

/** The analyses by file, and the files that could not be read with the reason. */
export interface AnalysedFiles {
  analyses: Map<string, IndexedDocument[]>;
  unreadable: Map<string, string>;
}

/** Below this many files, starting workers costs more than it saves. */
const minimumFilesForWorkers = 16;

/**
 * Below this average file size the files are analysed in this thread. From the benchmark on
 * 2 cores (docs/performance.md): 500 files of 75 KB on average take 6.2 s with 2 workers and
 * 7.5 s in one thread, while 2,000 files of 3.7 KB take 2.3 s in one thread and 2.9 s with 2
 * workers (per file, posting the analyses back costs about what analysing them saves).
 */
const minimumAverageSizeForWorkers = 16 * 1024;

/** True in a worker started by `analyzeInParallel`. */
export function isAnalysisWorker(): boolean {
  return !isMainThread && (workerData as { istioMirrorAnalysis?: boolean } | null)?.istioMirrorAnalysis === true;
}

/** The worker's side: analyse each file and post the results in batches. */
export function runAnalysisWorker(): void {
  const { files, context, keepTexts } = workerData as WorkerInput & { istioMirrorAnalysis: true };
  let batch: FileResult[] = [];
  for (const file of files) {
    const read = readTextFileSync(file, Number.POSITIVE_INFINITY);
    // Only what the CLI reports from crosses threads: the analyses of the documents that have a
    // model or problems, without their texts (the other documents, Deployments and the like, are
    // most of a tree and nothing the checks or the preview use).
    if ('failure' in read) {
      batch.push({ file, failure: read.failure });
    } else {
      const documents = analyzeFile(read.text, context, undefined, file)
        .filter((document) => document.analysis.model !== undefined || document.analysis.problems.length > 0)
        .map((document) => (keepTexts ? document : { ...document, text: '' }));
      batch.push({ file, documents });
    }
    if (batch.length >= 8) {
      parentPort?.postMessage(batch);
      batch = [];
    }
  }
  parentPort?.postMessage(batch);
}

/** Shares the files out by size so that every worker gets about the same amount of YAML. */
function partition(files: { file: string; size: number }[], parts: number): string[][] {
  const buckets = Array.from({ length: parts }, () => ({ files: [] as string[], size: 0 }));
  for (const entry of [...files].sort((a, b) => b.size - a.size)) {
    const smallest = buckets.reduce((best, bucket) => (bucket.size < best.size ? bucket : best));
    smallest.files.push(entry.file);
    smallest.size += entry.size;
  }
  return buckets.map((bucket) => bucket.files).filter((bucket) => bucket.length > 0);
}

/**
 * Analyses `files` (with their sizes); returns the analyses by file and, apart, the files that
 * could not be read. Uses worker threads when there are enough files and more than one core;
 * otherwise analyses in this thread.
 */
export async function analyzeFiles(files: { file: string; size: number }[], context: AnalysisContext, keepTexts = false): Promise<AnalysedFiles> {
  const results = new Map<string, IndexedDocument[]>();
  const unreadable = new Map<string, string>();
  // ISTIO_MIRROR_WORKERS overrides the number of worker threads (1: analyse in this thread) and the size rule.
  const requested = Number(process.env.ISTIO_MIRROR_WORKERS);
  const workers = Number.isInteger(requested) && requested > 0 ? requested : Math.min(availableParallelism(), 8);
  const averageSize = files.reduce((sum, { size }) => sum + size, 0) / Math.max(files.length, 1);
  const worthWorkers = files.length >= minimumFilesForWorkers && (averageSize >= minimumAverageSizeForWorkers || Number.isInteger(requested));
  if (!worthWorkers || workers < 2) {
    for (const { file } of files) {
      const read = readTextFileSync(file, Number.POSITIVE_INFINITY);
      if ('failure' in read) unreadable.set(file, read.failure);
      else results.set(file, analyzeFile(read.text, context, undefined, file));
    }
    return { analyses: results, unreadable };
  }
  await Promise.all(partition(files, workers).map((share) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { istioMirrorAnalysis: true, files: share, context, keepTexts }, resourceLimits: { maxYoungGenerationSizeMb: 48 } });
    let received = 0;
    worker.on('message', (batch: FileResult[]) => {
      for (const result of batch) {
        if (result.documents) results.set(result.file, result.documents);
        if (result.failure !== undefined) unreadable.set(result.file, result.failure);
      }
      received += batch.length;
      if (received === share.length) resolve();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (received < share.length) reject(new Error(`analysis worker stopped (exit code ${code}) after ${received} of ${share.length} files`));
    });
  })));
  return { analyses: results, unreadable };
}
