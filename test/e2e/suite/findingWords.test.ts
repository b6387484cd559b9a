/// <reference types="mocha" />
// The words of findings in a real VS Code (issue 11, item 10): messages lead with the fact,
// IM2007 is one finding per route that says why it matters (a warning when the mirror is the
// route's only destination, an information with the doubled share otherwise) and never
// suggests "the canary"; a hover on a finding says nothing its message already says, so the
// quick fixes stay in view; quick-fix titles fit the light-bulb menu.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, ourDiagnostics, waitFor, waitForDiagnostic } from '../helpers';

const maxTitle = 60;

function hoverText(hovers: vscode.Hover[]): string[] {
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : '')));
}

suite('finding words', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('IM2007: one finding per route on a file of 41 routes that mirror to their own destination, saying why; never "the canary"', async () => {
    const editor = await openFixture('own-mirrors.yaml');
    const findings = await waitFor('41 IM2007 findings', () => {
      const found = ourDiagnostics(editor.document.uri).filter((diagnostic) => codeOf(diagnostic) === 'IM2007');
      return found.length === 41 ? found : undefined;
    });
    const lines = new Set(findings.map((diagnostic) => diagnostic.range.start.line));
    assert.equal(lines.size, 41, 'one finding per route, each on its own line');
    const warnings = findings.filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Warning);
    const informations = findings.filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Information);
    assert.equal(warnings.length, 40);
    assert.equal(informations.length, 1);
    for (const warning of warnings) {
      assert.equal(warning.message, "Mirror target shop/canary is this route's only destination: its pods serve each request and get a copy of it too, so writes happen twice and the copy is compared with itself. Mirror to a subset or host this route does not send to.");
    }
    assert.equal(informations[0]!.message, "Mirror target shop/canary also serves 10 % of this route's requests: 5 % of them reach its pods twice (served, then copied), so their writes happen twice. Mirror to a subset or host this route does not send to, unless that is intended.");
    for (const finding of findings) assert.doesNotMatch(finding.message, /the canary/);
  });

  test('a hover on a finding says only the field: the message above it has the facts, the quick fixes stay in view; titles fit the menu', async () => {
    const editor = await openFixture('missing-subset.yaml');
    const diagnostic = await waitForDiagnostic(editor.document.uri, 'IST0101');
    assert.match(diagnostic.message, /^Subset "v2" is not defined by DestinationRule default\/ratings/, 'the message leads with the fact');
    assert.deepEqual(diagnostic.relatedInformation?.map((related) => related.message), ['DestinationRule default/ratings is here'], 'the related location does not repeat the subsets');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, diagnostic.range.start.translate(0, 1));
    assert.deepEqual(hoverText(hovers), ['**subset** · `string`']);

    // Every quick fix of every finding in these files fits the menu.
    for (const name of ['missing-subset.yaml', 'broken-virtualservice.yaml', 'own-mirrors.yaml']) {
      const opened = await openFixture(name);
      const diagnostics = await waitFor(`findings in ${name}`, () => ourDiagnostics(opened.document.uri).length > 0 && ourDiagnostics(opened.document.uri));
      for (const finding of diagnostics.slice(0, 20)) {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', opened.document.uri, finding.range);
        for (const action of actions) assert.ok(action.title.length <= maxTitle, `${name} ${codeOf(finding)}: "${action.title}" is ${action.title.length} characters`);
      }
    }
  });
});
