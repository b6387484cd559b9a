// The README's examples of `routes`, `trace` and `test` are the CLI's real output: every
// `$ istio-mirror …` line in the README's section on them is run through the built CLI and its
// output compared with the lines shown under it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, runCli } from '../helpers/runCli';

const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
const heading = '### What the proxy does: `routes`, `trace` and `test`\n';
const start = readme.indexOf(heading);
const section = readme.slice(start, readme.indexOf('\n## ', start));

/** Each `$ istio-mirror ARGS` line of the section's text blocks with the lines shown after it. */
function examples(): { args: string[]; shown: string }[] {
  const found: { args: string[]; shown: string }[] = [];
  for (const block of section.matchAll(/```text\n([\s\S]*?)```/g)) {
    let current: { args: string[]; lines: string[] } | undefined;
    const flush = (): void => {
      if (current) found.push({ args: current.args, shown: current.lines.map((line) => `${line}\n`).join('') });
    };
    for (const line of block[1].replace(/\n$/, '').split('\n')) {
      if (line.startsWith('$ istio-mirror ')) {
        flush();
        current = { args: line.slice('$ istio-mirror '.length).split(' ').filter((arg) => arg !== ''), lines: [] };
      } else if (current) {
        current.lines.push(line);
      }
    }
    flush();
  }
  return found;
}

test('the README shows routes, trace and test with examples', () => {
  assert.ok(start >= 0, 'the README has the section');
  const commands = examples().map((example) => example.args[0]);
  for (const command of ['routes', 'trace', 'test']) assert.ok(commands.includes(command), `an example of ${command}: ${commands.join(', ')}`);
});

for (const example of examples()) {
  test(`the README shows the real output of \`istio-mirror ${example.args.join(' ')}\``, () => {
    const result = runCli(example.args);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(example.shown, result.stdout);
  });
}
