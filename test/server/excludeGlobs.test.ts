// `istioMirror.exclude` globs (issue 12): a repository's settings can set them, so a
// pathological one must not hang the server. They are matched by server/src/excludeGlobs.ts,
// compared here with minimatch (which the project used before) on ordinary patterns, and fed
// to the real server with a long file name. The manifest keeps workspace settings that change
// what is read or written out of Restricted Mode.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Minimatch } from 'minimatch';
import { compileGlob, globMatcher, maxAlternatives } from '../../server/src/excludeGlobs';
import { excludeMatcher } from '../../server/src/workspaceFiles';
import { hostileCase, normalDestinationRule, normalVirtualService, timeout } from '../helpers/hostileWorkspace';

const patterns = ['**/node_modules/**', 'vendor/**', '**/*.tmpl.yaml', '*.yaml', 'charts/**', '**/charts', '**/.git/**', 'a/*/b', 'a/**/b', '**/test?.yaml', '**/[abc]*.yaml', '**/[!a]*.yml', '**/{foo,bar}/**', '{a,b/{c,d}}/*.yaml', '!**/*.yaml', '#comment', 'x\\*y', '**', '*', 'vendor/', '**/*-[0-9].yaml', 'deep/**/*.yml', '.hidden/**', '**/.*', '**/*a*b*'];
const paths = ['a.yaml', 'vendor', 'vendor/', 'vendor/x.yaml', 'node_modules/a/b.yaml', 'src/node_modules/x', 'x/y.tmpl.yaml', 'charts/a/b.yaml', 'a/charts', 'a/charts/', '.git/config', 'a/x/b', 'a/b', 'a/x/y/b', 'test1.yaml', 'd/testz.yaml', 'b1.yaml', 'q/a1.yml', 'q/z1.yml', 'foo/x', 'bar', 'bar/', 'a/z.yaml', 'b/c/z.yaml', 'b/e/z.yaml', 'x*y', 'xzy', 'deep/a/b/c.yml', 'deep/c.yml', '.hidden/a', 'a/.env', 'a/b/c', 'app-1.yaml', 'q/app-x.yaml', 'q/xaxbx'];

describe('exclude globs (issue 12)', () => {
  test('ordinary patterns match exactly what minimatch (dot: true) matched', () => {
    const differences: string[] = [];
    for (const pattern of patterns) {
      const reference = new Minimatch(pattern, { dot: true });
      const ours = globMatcher([pattern]);
      for (const path of paths) if (reference.match(path) !== ours(path)) differences.push(`${pattern} on ${path}: minimatch ${reference.match(path)}`);
    }
    assert.deepEqual(differences, []);
  });

  test('a pattern of 30 stars against a 100,000-character name is answered (minimatch backtracks without end)', () => {
    const pattern = `**/${'*a'.repeat(30)}*b`;
    const name = `dir/${'a'.repeat(100_000)}.yaml`;
    assert.equal(excludeMatcher([pattern])(name), false);
    assert.equal(excludeMatcher([pattern])(`dir/${'a'.repeat(100_000)}b`), true);
  });

  test('a brace bomb is rejected and reported, not expanded', () => {
    const bomb = '{a,b}'.repeat(20);
    const compiled = compileGlob(bomb);
    assert.ok('rejected' in compiled && compiled.rejected.includes(String(maxAlternatives)));
    const rejected: string[] = [];
    const matches = excludeMatcher([bomb, 'vendor/**'], (pattern, reason) => rejected.push(`${pattern.length}: ${reason}`));
    assert.equal(matches('vendor/x.yaml'), true, 'the other patterns still apply');
    assert.deepEqual(rejected, [`100: more than ${maxAlternatives} brace alternatives`]);
  });

  test('a pathological exclude glob from the settings does not stop the server: the workspace is indexed and checked', { timeout }, async () => {
    const longName = `${'a'.repeat(200)}.yaml`;
    const settings = { exclude: [`**/${'*a'.repeat(30)}*b`, '{x,y}'.repeat(20)] };
    await hostileCase({ [longName]: normalDestinationRule, 'vs.yaml': normalVirtualService }, async (workspace) => {
      assert.ok(workspace.logs.some((line) => /indexed 2 YAML files/.test(line)), workspace.logs.join('\n'));
      assert.ok(workspace.logs.some((line) => /istioMirror\.exclude: the pattern .* is ignored: more than 256 brace alternatives/.test(line)), 'the rejected pattern is logged');
      const published = await workspace.open(workspace.uri('vs.yaml'), normalVirtualService);
      assert.ok(published.diagnostics.length > 0, 'the VirtualService is checked');
    }, settings);
  });

  test('Restricted Mode: a workspace cannot set the exclude globs or the apiVersion written into new resources', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } }; contributes: { configuration: { properties: Record<string, unknown> } } };
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual(untrusted.restrictedConfigurations, ['istioMirror.exclude', 'istioMirror.defaultApiVersion']);
    for (const key of untrusted.restrictedConfigurations ?? []) assert.ok(key in manifest.contributes.configuration.properties, `${key} is a setting`);
  });
});
