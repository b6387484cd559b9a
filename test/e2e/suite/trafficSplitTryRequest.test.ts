/// <reference types="mocha" />
// The traffic-split preview's "Try a request" form in a real VS Code: the form inside the
// webview is filled in and sent as a user does (click, type, press the button); the language
// server traces the request (istio/traceRequest, the core of `istio-mirror trace`), and the page
// highlights the rule that takes it and the targets it and its copies go to.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IstioMirrorApi } from '../../../client/src/extension';
import { activateExtension, closeAllEditors, openFixture, waitFor } from '../helpers';
import { inWebview, needsUi, run } from '../ui';

const { requestScreenshot } = require('../../../e2e/host/screenshot.js') as { requestScreenshot(name: string): Promise<string | undefined> };

const command = 'istioMirror.previewTrafficSplit';

/**
 * Clicks the form field `selector` and waits until it has the keyboard focus: the workbench hands
 * the focus to a webview asynchronously, and keys typed before that go to the editor.
 */
async function focus(selector: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await run([{ click: inWebview(selector) }]);
    try {
      await run([{ waitFor: inWebview(`${selector}:focus`), timeoutMs: 3000 }]);
      return;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}

/** Replaces the value of the form field `selector` with `text`, typing it. */
async function fill(selector: string, text: string): Promise<void> {
  await focus(selector);
  // Into the field itself: after another test the workbench has been seen to hand the focus back
  // to the editor between the click and the keys, which then replaced the YAML file's text.
  await run([{ fill: inWebview(selector), text }]);
}

async function texts(selector: string): Promise<string[]> {
  const [found] = (await run([{ texts: inWebview(selector) }])) as [string[]];
  return found.map((text) => text.replace(/\s+/g, ' ').trim());
}

suite('traffic-split preview: try a request', () => {
  let api: IstioMirrorApi;
  suiteSetup(async () => {
    api = await activateExtension();
  });
  teardown(async () => {
    await closeAllEditors();
    await waitFor('the preview to close', () => api.previewState() === undefined);
  });

  test('the form traces a request: the rule it takes and where it and its copies go are highlighted', async function () {
    needsUi(this);
    this.timeout(120000);
    await openFixture('traffic-split.yaml');
    assert.equal(await vscode.commands.executeCommand<boolean>(command), true);
    await waitFor('the page to draw the model', () => api.previewState()?.rendered);
    await run([{ waitFor: inWebview('#try-path'), timeoutMs: 30000 }]);

    try {
      await tryRequests();
    } catch (error) {
      // With ISTIO_MIRROR_SCREENSHOT_DIR set, the workbench as it was when the test failed.
      const png = await requestScreenshot('try-a-request-failed').catch(() => undefined);
      throw png ? new Error(`${String(error)}\nscreenshot: ${png}`) : error;
    }
  });

  type State = NonNullable<ReturnType<IstioMirrorApi['previewState']>>;

  /**
   * Fills path and headers, presses Trace and waits for the page's highlight of the answer. Keys
   * typed while the workbench moves the focus can be lost; the request the server got is compared
   * with the one typed, and the form is filled again when they differ.
   */
  async function send(path: string, header: string): Promise<State> {
    const [name, value] = header === '' ? [] : header.split(': ');
    let got = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      await fill('#try-path', path);
      await fill('#try-headers', header);
      const before = api.previewState()?.traced;
      await run([{ click: inWebview('.try-send') }]);
      const state = await waitFor('the page to highlight the answer', () => {
        const current = api.previewState();
        return current?.traced && current.traced !== before && current.highlighted ? current : undefined;
      });
      const request = state.traced!.request;
      const headers = request.headers ?? {};
      if (request.path === path && (name === undefined ? Object.keys(headers).length === 0 : headers[name] === value)) return state;
      got = JSON.stringify(request);
    }
    throw new Error(`the form sent ${got}, not path ${path} with header "${header}"`);
  }

  async function tryRequests(): Promise<void> {
    // A test user's request: rule 1 "test-users" sends it to canary and copies it to shadow.
    const first = await send('/api/items', 'X-Test-User: true');
    assert.equal(first.traced?.request.host, 'reviews', 'the host is the previewed VirtualService\'s');
    assert.equal(first.traced?.result?.name, 'test-users');
    assert.deepEqual(first.highlighted, { virtualService: 0, route: 0, targets: 2 });
    assert.deepEqual(await texts('.rule.is-traced .rule-name'), ['test-users']);
    assert.deepEqual(await texts('.rule.is-traced .target.is-hit .target-name'), ['reviews/canary', 'reviews/shadow']);
    // Under each mirror, the Envoy policy Istio sends for it (newest release: the copy keeps its Host).
    assert.deepEqual(await texts('.rule.is-traced .target-envoy'), ["Envoy (Istio 1.30): cluster outbound|<listener port>|shadow|reviews.shop.svc.cluster.local, runtimeFraction 500000/MILLION = 50 %, copy's Host reviews (for a call to reviews), traceSampled false"]);
    const answer = await texts('.try-result');
    assert.match(answer[0] ?? '', /Taken by rule #1 "test-users" of VirtualService shop\/reviews/);
    assert.match(answer[0] ?? '', /copy → reviews\.shop\.svc\.cluster\.local subset shadow 50 % of these requests, Host: reviews/);

    // Without the header the /api rule takes it: 70/20 between stable and canary, copies to shadow and reviews-audit.
    const second = await send('/api/items', '');
    assert.equal(second.traced?.result?.name, 'api');
    assert.deepEqual(second.highlighted, { virtualService: 0, route: 1, targets: 4 });
    assert.deepEqual(await texts('.rule.is-traced .rule-name'), ['api']);
    assert.deepEqual(await texts('.rule.is-traced .target.is-hit .target-name'), ['reviews/stable', 'reviews/canary', 'reviews/shadow', 'reviews-audit']);
    assert.deepEqual(await texts('.rule.is-hit, .rule:not(.is-traced) .target.is-hit'), [], 'nothing else is marked');
    assert.match((await texts('.try-result'))[0] ?? '', /→ reviews\.shop\.svc\.cluster\.local subset stable 77\.8 %/);
  }
});
