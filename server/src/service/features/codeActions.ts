// Quick fixes (LSP code actions of kind `quickfix`) for the diagnostics this service
// published. Each diagnostic carries `data.path`, the YAML path of what it is about; the
// dispatcher finds that node again in the current text (skipping diagnostics that no longer
// match it, e.g. after an edit the client has not re-validated yet) and hands it to the fix
// for its code. The fixes live in ./edits/, one small function per code, and only ever produce
// minimal text edits (see ./edits/yamlEdits.ts).

import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { nodeAt, pairAt } from '../parse/yamlDocument';
import type { Position, ProblemData, Range } from '../types';
import type { IndexedFile } from '../workspace/workspaceIndex';
import { documentContext, documentIndexAt } from './documentAt';
import type { FeatureContext } from './featureContext';
import { renameKeyFix } from './edits/keyFixes';
import { backendNameFix, backendPortFix, filterBodyFix, moveMirrorToRuleFix, percentOrFractionFix, servicePortFix } from './edits/gatewayApiFixes';
import { deprecatedMirrorPercentFix, mirrorAndMirrorsFix, strayMirrorPercentageFix } from './edits/mirrorFixes';
import type { Fixer, FixTarget } from './edits/quickFix';
import { mergeCatchAllMirrorsFix } from './edits/ruleMergeFix';
import { missingSubsetFixes } from './edits/subsetFixes';
import { serviceEntryFix } from './edits/serviceEntryFixes';
import { suppressionActions } from './edits/suppressionFixes';
import { clampFix, durationFix, emptyPercentageFix, enumFix, gatewayFix, retryAttemptsFix, subsetNameFix, wrongTypeFix } from './edits/valueFixes';
import { YamlSource } from './edits/yamlSource';

/** The `source` of our diagnostics (languageService.ts's `diagnosticSource`; not imported to avoid an import cycle). */
const ourSource = 'istio-mirror';

const fixers: Record<string, Fixer> = {
  IM1001: renameKeyFix,
  IM1002: renameKeyFix,
  IM1004: wrongTypeFix,
  IM1006: enumFix,
  IM1009: clampFix,
  IM2001: mirrorAndMirrorsFix,
  IM2002: clampFix,
  IM2003: deprecatedMirrorPercentFix,
  IM2004: emptyPercentageFix,
  IM2005: strayMirrorPercentageFix,
  IM2008: clampFix,
  IM2009: clampFix,
  IM2103: clampFix,
  IM2106: durationFix,
  IM2107: retryAttemptsFix,
  IM2109: subsetNameFix,
  IM2113: clampFix,
  IM2116: gatewayFix,
  IST0101: missingSubsetFixes,
  IM3003: serviceEntryFix,
  IST0130: mergeCatchAllMirrorsFix,
  // Gateway API (issue 13)
  IM2501: filterBodyFix,
  IM2505: percentOrFractionFix,
  IM2507: backendPortFix,
  IM2508: moveMirrorToRuleFix,
  IM2509: backendNameFix,
  IM3501: servicePortFix,
};

/**
 * The fixes for `diagnostics` that overlap `range`, then the suppression comments for those
 * `isCurrent` says the file still has (once per title: the first diagnostic's line).
 */
export function getCodeActions(context: FeatureContext, uri: string, range: Range, diagnostics: Diagnostic[], isCurrent: (diagnostic: Diagnostic) => boolean = () => false): CodeAction[] {
  const file = context.index.getFile(uri);
  if (!file || file.documents.length === 0) return [];
  // Keyed by title and edit: when the client sends several diagnostics one fix resolves
  // (e.g. two missing subsets of one host), the fix is offered once, listing them all.
  const actions = new Map<string, CodeAction>();
  // Suppressing comes after every real fix, once per code and line.
  const suppressions = new Map<string, CodeAction>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== undefined && diagnostic.source !== ourSource) continue;
    if (overlaps(diagnostic.range, range) && isCurrent(diagnostic)) {
      for (const action of suppressionActions(file, diagnostic)) {
        if (!suppressions.has(action.title)) suppressions.set(action.title, action);
      }
    }
    const fixer = typeof diagnostic.code === 'string' ? fixers[diagnostic.code] : undefined;
    if (!fixer || !overlaps(diagnostic.range, range)) continue;
    const target = locate(context, file, diagnostic);
    if (!target) continue;
    for (const fix of runFixer(fixer, target)) {
      const edit = fix.edits.build();
      const key = `${fix.title}\n${JSON.stringify(edit)}`;
      const existing = actions.get(key);
      if (existing) {
        existing.diagnostics?.push(diagnostic);
        continue;
      }
      const action: CodeAction = { title: menuTitle(fix.title), kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
      if (fix.preferred) action.isPreferred = true;
      actions.set(key, action);
    }
  }
  return [...actions.values(), ...suppressions.values()];
}

/** The most a quick-fix title may take: VS Code's light-bulb menu cuts longer ones. */
export const maxTitleLength = 60;

/**
 * A title that fits the menu. The fixes write short titles; one that names long values (hosts,
 * keys) is cut at a word boundary with an ellipsis rather than by the menu, mid-word.
 */
export function menuTitle(title: string): string {
  if (title.length <= maxTitleLength) return title;
  const cut = title.slice(0, maxTitleLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > maxTitleLength / 2 ? cut.slice(0, space) : cut}…`;
}

/** A fix that fails on YAML it did not expect must not take the other fixes with it. */
function runFixer(fixer: Fixer, target: FixTarget): ReturnType<Fixer> {
  try {
    return fixer(target);
  } catch {
    return [];
  }
}

function isProblemData(data: unknown): data is ProblemData & { path: (string | number)[] } {
  if (typeof data !== 'object' || data === null) return false;
  const path = (data as { path?: unknown }).path;
  return Array.isArray(path) && path.every((step) => typeof step === 'string' || typeof step === 'number');
}

/** Finds the diagnostic's node in the current text; undefined when the text no longer matches it. */
function locate(context: FeatureContext, file: IndexedFile, diagnostic: Diagnostic): FixTarget | undefined {
  const data: unknown = diagnostic.data;
  if (!isProblemData(data)) return undefined;
  const document = documentContext(file, documentIndexAt(file, diagnostic.range.start.line));
  // Fixes edit text by structure; on a document that does not parse they could make things worse.
  if (!document.indexed.analysis.validated || document.yaml.syntaxErrors.length > 0) return undefined;
  const source = YamlSource.of(document, file);
  const path = data.path;
  const node = nodeAt(source.root, path);
  const pair = pairAt(source.root, path);
  const parent = path.length > 0 ? nodeAt(source.root, path.slice(0, -1)) : undefined;
  const from = pair ? source.keyStart(pair) : node ? source.start(node) : undefined;
  const offset = source.offsetAt(diagnostic.range.start);
  if (from === undefined || offset === undefined) return undefined;
  const to = Math.max(from, node ? source.end(node) : pair ? source.pairEnd(pair) : from);
  if (offset < from || offset > to) return undefined;
  return { context, document, source, diagnostic, data, path, node, pair, parent };
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** True when the ranges share at least a position (touching counts: a cursor at a diagnostic's end is on it). */
function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
