// Hostile inputs and odd situations of issue 12 through the built CLI (dist/cli.js in a child
// process, as a user runs it): files it cannot read, a reader that closes the pipe, control
// characters in YAML strings, paths that are not URI-safe, and megabyte names. Every file is
// generated here. Each case prints its time; no speed is asserted.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repositoryRoot, runCli } from '../helpers/runCli';

const timeout = 300_000;

const routes = (name: string, subset: string): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: demo
spec:
  hosts: [${name}]
  http:
  - route:
    - destination: {host: ${name}, subset: ${subset}}
`;

const rule = (name: string, subsets: string[]): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${name}
  namespace: demo
spec:
  host: ${name}
  subsets:
${subsets.map((subset) => `  - name: ${subset}\n    labels: {version: v1}`).join('\n')}
`;

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'istio-mirror-cli-hostile-'));
  chmodSync(root, 0o755);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

function timed<T>(what: string, run: () => T): T {
  const started = Date.now();
  const result = run();
  console.log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Runs the CLI with its stdout closed by the reader after `keep` bytes (0: before anything is written). */
function runWithClosingReader(args: string[], keep: number): Promise<{ status: number | null; signal: string | null; stderr: string; received: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let received = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    if (keep === 0) child.stdout.destroy();
    else {
      child.stdout.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.length >= keep) child.stdout.destroy();
      });
    }
    child.on('exit', (status, signal) => resolve({ status, signal, stderr, received }));
  });
}

describe('hostile inputs through the CLI (issue 12)', () => {
  test('a file or folder that cannot be read is an error naming the path and the reason, exit 2', { timeout }, () => {
    const root = workspace({ 'ok.yaml': routes('reviews', 'v1') + '---\n' + rule('reviews', ['v1']), 'secret.yaml': routes('ratings', 'v1'), 'locked/inner.yaml': routes('details', 'v1') });
    chmodSync(join(root, 'secret.yaml'), 0o000);
    chmodSync(join(root, 'locked'), 0o000);
    try {
      // root reads any file: run the CLI as nobody then (spawn's uid), as an ordinary user would be.
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      for (const format of ['text', 'json', 'sarif']) {
        const result = timed(`check of an unreadable file (${format})`, () => runCli(['check', root, '--format', format], root, asUser));
        assert.equal(result.status, 2, `exit status (${format}): ${result.stdout}\n${result.stderr}`);
        assert.match(result.stderr, new RegExp(`cannot read ${join(root, 'secret.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: permission denied \\(EACCES\\)`), result.stderr);
        assert.match(result.stderr, new RegExp(`cannot read ${join(root, 'locked').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: permission denied \\(EACCES\\)`), result.stderr);
        if (format === 'text') assert.match(result.stderr, /1 file checked \(2 not readable, not checked\)/);
      }
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('`check examples | head -1`: a closed pipe ends the output quietly, with the exit status of the check', { timeout }, async () => {
    const full = runCli(['check', 'examples']);
    assert.equal(full.status, 1, 'the examples hold errors');
    for (const keep of [0, 1]) {
      const result = await runWithClosingReader(['check', 'examples'], keep);
      assert.doesNotMatch(result.stderr, /EPIPE|Error|at /, `no stack trace when the reader closes after ${keep} bytes`);
      assert.equal(result.status, 1, `the exit status is the check's (errors found), not a crash: ${result.stderr}`);
    }
    const preview = await runWithClosingReader(['preview', 'examples'], 0);
    assert.doesNotMatch(preview.stderr, /EPIPE|Error/);
    assert.equal(preview.status, 0);
  });

  test('control characters in YAML strings are escaped in every output format', { timeout }, () => {
    // A subset name that moves the cursor up, erases lines and prints a fake all-clear; C1 CSI too.
    const fake = '"v9\\e[1A\\e[2K\\e[1A\\e[2KAll Istio resources OK\\r\\x9b2K"';
    const root = workspace({ 'vs.yaml': routes('reviews', fake), 'dr.yaml': rule('reviews', ['v1']) });
    try {
      for (const format of ['text', 'json', 'sarif']) {
        const result = runCli(['check', root, '--format', format]);
        assert.equal(result.status, 1, result.stderr);
        assert.doesNotMatch(result.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `${format}: no raw control character on stdout`);
        assert.match(result.stdout, /\\u001b\[1A/, `${format}: the escape is shown as \\u001b`);
        if (format !== 'text') {
          const output = JSON.parse(result.stdout) as { diagnostics?: { message: string }[]; runs?: { results: { message: { text: string } }[] }[] };
          const messages = output.diagnostics?.map((d) => d.message) ?? output.runs?.[0].results.map((r) => r.message.text) ?? [];
          assert.ok(messages.some((message) => message.includes('\u001b[2KAll Istio resources OK\r\u009b2K')), `${format}: still valid JSON, holding the same string`);
        }
      }
      for (const command of [['preview', root], ['routes', root], ['monitor', root]]) {
        const result = runCli(command);
        assert.doesNotMatch(result.stdout + result.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `${command[0]}: no raw control character`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('SARIF artifactLocation.uri is a valid URI reference for `100%.yaml`, `a b#c.yaml` and a colon', { timeout }, () => {
    const names = ['100%.yaml', 'a b#c.yaml', 'x:y.yaml', 'ü?.yaml'];
    const root = workspace(Object.fromEntries(names.map((name, i) => [name, routes(`r${i}`, 'v1') + '---\n' + rule(`r${i}`, ['v2'])])));
    try {
      for (const [cwd, paths] of [[root, ['.']], [repositoryRoot, [root]]] as const) {
        const result = runCli(['check', ...paths, '--format', 'sarif'], cwd);
        assert.equal(result.status, 1, result.stderr);
        const uris = (JSON.parse(result.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] })
          .runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
        assert.equal(uris.length, names.length, JSON.stringify(uris));
        for (const uri of uris) {
          // RFC 3986: no space, `#` only as the fragment, `%` only before two hex digits, no scheme unless file:.
          assert.doesNotMatch(uri, /[\s#?]|%(?![0-9A-F]{2})|[^\x21-\x7e]/, `${uri} is not a valid URI reference`);
          assert.ok(uri.startsWith('file:///') || !/^[^/]*:/.test(uri), `${uri} would read as a scheme`);
          const resolved = new URL(uri, `file://${root}/`);
          assert.equal(resolved.protocol, 'file:');
          assert.ok(names.includes(decodeURIComponent(resolved.pathname.slice(resolved.pathname.lastIndexOf('/') + 1))), `${uri} names one of the files`);
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('"did you mean" on two 1 MB subset names and a rule with 50,000 subsets: bounded work, short messages', { timeout }, () => {
    const many = Array.from({ length: 50_000 }, (_, i) => `s${i}`);
    const root = workspace({
      'vs.yaml': routes('reviews', 'b'.repeat(1024 * 1024)),
      'dr.yaml': rule('reviews', ['a'.repeat(1024 * 1024)]),
      'many-vs.yaml': `${routes('ratings', 'missing')}    - destination: {host: ratings, subset: also-missing}\n`,
      'many-dr.yaml': rule('ratings', many),
    });
    try {
      const result = timed('check of 1 MB names and 50,000 subsets', () => runCli(['check', root, '--format', 'json']));
      assert.equal(result.status, 1, result.stderr.slice(0, 2000));
      const findings = (JSON.parse(result.stdout) as { diagnostics: { code: string; message: string; file: string }[] }).diagnostics;
      const missing = findings.filter((f) => f.code === 'IST0101');
      assert.equal(missing.length, 3, JSON.stringify(findings.map((f) => f.code)));
      for (const finding of findings) assert.ok(finding.message.length <= 2000, `${finding.code}: a ${finding.message.length}-character message`);
      assert.ok(missing.some((f) => f.file.endsWith('many-vs.yaml') && /and 49990 more/.test(f.message)), 'the subset list is cut, with the count of the rest');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('200,000 keys in a kind-less mapping, 50,000 with a duplicate in a VirtualService, 60,000 hosts: linear checks', { timeout }, () => {
    // Duplicate keys were found by comparing each key with every earlier one, in every parsed
    // document (200,000 keys: over 5 minutes); duplicate hosts by comparing each host with every
    // earlier one (60,000 hosts with a wildcard: 150 s). Both now take a Map (and a trie for wildcards).
    const head = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: many\n  namespace: demo\n';
    const root = workspace({
      'keys.yaml': `${Array.from({ length: 200_000 }, (_, i) => `k${i}: v`).join('\n')}\n`,
      'labels.yaml': `${head}  labels:\n${Array.from({ length: 50_000 }, (_, i) => `    k${i}: v`).join('\n')}\n    k7: again\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n`,
      'hosts.yaml': `${head.replace('many', 'hosts')}spec:\n  hosts:\n${Array.from({ length: 60_000 }, (_, i) => `  - h${i}.example.com`).join('\n')}\n  - "*.example.com"\n  - h7.example.com\n  http:\n  - route:\n    - destination: {host: h1.example.com}\n`,
    });
    try {
      for (const name of ['keys.yaml', 'labels.yaml', 'hosts.yaml']) {
        // The bound only turns a hang into a failure (the check takes seconds).
        const result = timed(`check of ${name}`, () => runCli(['check', join(root, name), '--format', 'json'], root, { timeout: 240_000 }));
        assert.ok(result.status === 0 || result.status === 1, `${name}: ${result.stderr.slice(0, 2000)}`);
        const findings = (JSON.parse(result.stdout) as { diagnostics: { code: string; message: string; range: { start: { line: number } } }[] }).diagnostics;
        const errors = findings.filter((f) => f.code === 'IM0001' || f.code === 'IM2114').map((f) => `${f.code}@${f.range.start.line} ${f.message.split(';')[0]!}`);
        const expected: Record<string, string[]> = {
          'keys.yaml': [],
          'labels.yaml': ['IM0001@50006 YAML syntax error: Map keys must be unique. The same key appears twice in one mapping'],
          'hosts.yaml': ['IM2114@60007 Host "*.example.com" overlaps "h0.example.com" listed before it', 'IM2114@60008 Host "h7.example.com" overlaps "h7.example.com" listed before it'],
        };
        assert.deepEqual(errors, expected[name], name);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
