// The mirror-monitor webview page (client/media/mirrorMonitorView.ts, bundled into dist/media/)
// in headless Chromium through playwright-core: the real page HTML (pageHtml.ts) with its CSP,
// served from a loopback HTTP server, and a stub `acquireVsCodeApi` that records what the page
// posts. The model comes from the language service for examples/ (the model `istio-mirror
// monitor` prints). Screenshots go to test-artifacts/webview/ (and the top of the 760 px page to
// docs/screenshots/mirror-monitor.png when that is missing or ISTIO_MIRROR_UPDATE_SCREENSHOTS=1).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newNonce, webviewPageHtml } from '../../client/src/trafficSplit/pageHtml';
import type { MonitorHostMessage, MonitorWebviewMessage } from '../../client/src/mirrorMonitor/messages';
import { parseMonitorWebviewMessage } from '../../client/src/mirrorMonitor/messages';
import type { MirrorMonitorResult } from '../../server/src/protocol';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { parsePromQL } from '../helpers/promql';

declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };
declare const window: { postMessage(data: unknown, targetOrigin: string): void };

const root = join(__dirname, '..', '..');
const chromiumPath = '/usr/bin/chromium';
const media = join(root, 'dist', 'media');
const artifacts = join(root, 'test-artifacts', 'webview');
const docsScreenshot = join(root, 'docs', 'screenshots', 'mirror-monitor.png');

/** The model of one example folder's file, as the server answers `istio/mirrorMonitor`. */
function modelOf(example: string, file: string): MirrorMonitorResult {
  const service = new IstioLanguageService();
  const folder = join(root, 'examples', example);
  for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.yaml'))) {
    service.setFile(`file:///workspace/${example}/${name}`, readFileSync(join(folder, name), 'utf8'));
  }
  return { window: '5m', monitors: service.mirrorMonitoring({ window: '5m', uris: [`file:///workspace/${example}/${file}`] }) };
}

const basic = modelOf('basic-mirror', 'virtualservice.yaml');
const multiple = modelOf('multiple-mirrors', 'virtualservice.yaml');

function ensureBundle(): void {
  const bundle = join(media, 'mirrorMonitorView.js');
  const sources = ['client/media/mirrorMonitorView.ts', 'client/media/mirrorMonitorView.css', 'client/media/dom.ts', 'client/src/mirrorMonitor/messages.ts', 'server/src/service/features/grafanaDashboard.ts']
    .map((file) => statSync(join(root, file)).mtimeMs);
  if (existsSync(bundle) && existsSync(join(media, 'mirrorMonitorView.css')) && statSync(bundle).mtimeMs >= Math.max(...sources)) return;
  const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
  assert.equal(built.status, 0, 'node scripts/build.mjs --quiet failed');
}

let server: Server;
let origin: string;
let browser: Browser;

function serve(): Promise<void> {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const send = (type: string, body: string | Buffer): void => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/') {
      send('text/html; charset=utf-8', webviewPageHtml({ cspSource: origin, scriptUri: `${origin}/media/mirrorMonitorView.js`, styleUri: `${origin}/media/mirrorMonitorView.css`, nonce: newNonce() }, 'Mirror monitor'));
    } else if (url.pathname === '/media/mirrorMonitorView.js') {
      send('text/javascript', readFileSync(join(media, 'mirrorMonitorView.js')));
    } else if (url.pathname === '/media/mirrorMonitorView.css') {
      send('text/css', readFileSync(join(media, 'mirrorMonitorView.css')));
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resolve();
  }));
}

/** Stands in for VS Code's webview API (a string: it runs in the page before its script). */
const stubVsCodeApi = `
  (() => {
    const recorded = [];
    const violations = [];
    Object.assign(window, {
      __posted: recorded,
      __cspViolations: violations,
      acquireVsCodeApi: () => ({ postMessage: (message) => { recorded.push(JSON.parse(JSON.stringify(message))); } }),
    });
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective + ' ' + event.blockedURI));
  })();
`;

interface Harness {
  page: Page;
  posted(): Promise<MonitorWebviewMessage[]>;
  /** Posts a `show` and waits for the page's `rendered`, which it returns. */
  show(model: MirrorMonitorResult, focus?: number): Promise<Extract<MonitorWebviewMessage, { type: 'rendered' }>>;
  send(message: MonitorHostMessage): Promise<void>;
}

async function openPage(width = 760): Promise<Harness> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  await page.addInitScript({ content: stubVsCodeApi });
  await page.goto(`${origin}/`);
  const posted = (): Promise<MonitorWebviewMessage[]> => page.evaluate(() => (globalThis as unknown as { __posted: MonitorWebviewMessage[] }).__posted);
  await page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((message) => message.type === 'ready'));
  const send = (message: MonitorHostMessage): Promise<void> => page.evaluate((data) => window.postMessage(data, '*'), message);
  return {
    page,
    posted,
    send,
    async show(model, focus) {
      const before = (await posted()).filter((m) => m.type === 'rendered').length;
      await send({ type: 'show', fileName: 'virtualservice.yaml', model, ...(focus !== undefined ? { focus } : {}) });
      await page.waitForFunction((count) => (globalThis as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > count, before);
      const rendered = (await posted()).filter((m) => m.type === 'rendered').at(-1);
      assert.ok(rendered?.type === 'rendered');
      // What the page posts is what the extension accepts.
      assert.deepEqual(parseMonitorWebviewMessage(rendered), rendered);
      return rendered;
    },
  };
}

describe('mirror-monitor webview page', () => {
  before(async () => {
    if (!existsSync(chromiumPath)) {
      const installed = spawnSync('bash', [join(root, 'e2e/host/install.sh')], { cwd: root, stdio: 'inherit' });
      assert.equal(installed.status, 0, `the webview page test needs Chromium at ${chromiumPath}`);
    }
    ensureBundle();
    await serve();
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('draws every query pair of the model, each side with a copy button, the commands and the notes', async () => {
    const { page, show } = await openPage();
    const rendered = await show(basic);
    const monitor = basic.monitors[0]!;
    const expected = monitor.queries.flatMap((query) => [query.primary, query.mirror]);
    assert.ok(expected.length >= 10, `${expected.length} queries`);
    assert.deepEqual(rendered.queries, expected);
    for (const query of rendered.queries) assert.ok(parsePromQL(query).length > 0, query);
    assert.equal(rendered.mirrors, 1);
    assert.equal(rendered.commands, monitor.commands.length);
    assert.deepEqual(await page.locator('.query-title').allTextContents(), monitor.queries.map((query) => query.title));
    assert.equal(await page.locator('.query .copy').count(), expected.length);
    assert.equal(await page.locator('.command .copy').count(), monitor.commands.length);
    assert.deepEqual(await page.locator('.command-text').allTextContents(), monitor.commands.map((command) => command.command));
    assert.deepEqual(await page.locator('.notes li').allTextContents(), monitor.notes);
    assert.deepEqual(await page.locator('.side-label').allTextContents(), ['destination_version="v1"', 'destination_version="v2"']);
    assert.match(await page.locator('.mirror-title').innerText(), /demo\/httpbin · http\[0\] "primary": httpbin\/v1 ⇢ mirror httpbin\/v2 \(10 %\)/);
    assert.match(await page.locator('.side-extra').innerText(), /^10 % of the rule's requests copied$/);
    await page.close();
  });

  test('a copy button posts its text; "copied" from the host marks the button; Export posts exportGrafana', async () => {
    const { page, show, posted, send } = await openPage();
    await show(basic);
    const monitor = basic.monitors[0]!;
    const mirrorRate = page.locator('.query[data-name="requestRate"] .query-mirror .copy');
    await mirrorRate.click();
    const copy = (await posted()).filter((message) => message.type === 'copy').at(-1);
    assert.ok(copy?.type === 'copy');
    assert.equal(copy.text, monitor.queries.find((query) => query.name === 'requestRate')!.mirror);
    assert.deepEqual(parseMonitorWebviewMessage(copy), copy);
    await send({ type: 'copied', id: copy.id });
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.query[data-name="requestRate"] .query-mirror .copy')?.textContent === 'Copied');
    await page.locator('.command .copy').first().click();
    const command = (await posted()).filter((message) => message.type === 'copy').at(-1);
    assert.equal(command?.type === 'copy' && command.text, monitor.commands[0]!.command);
    await page.getByRole('button', { name: 'Export Grafana dashboard…' }).click();
    assert.deepEqual((await posted()).at(-1), { type: 'exportGrafana' });
    await page.close();
  });

  test('`mirrors`: one section per entry; the mirror asked for is marked and scrolled to', async () => {
    const { page, show } = await openPage();
    assert.ok(multiple.monitors.length >= 2);
    const rendered = await show(multiple, 1);
    assert.equal(rendered.mirrors, multiple.monitors.length);
    assert.equal(rendered.focused, 1);
    assert.equal(await page.locator('section.mirror.is-focused').getAttribute('data-index'), '1');
    assert.deepEqual(rendered.queries, multiple.monitors.flatMap((monitor) => monitor.queries.flatMap((query) => [query.primary, query.mirror])));
    await page.close();
  });

  test('a file without mirrors: the empty state, and Export is disabled', async () => {
    const { page, show } = await openPage();
    const rendered = await show({ window: '5m', monitors: [] });
    assert.deepEqual({ mirrors: rendered.mirrors, queries: rendered.queries }, { mirrors: 0, queries: [] });
    assert.equal(await page.locator('.empty-title').innerText(), 'No mirror in this file');
    assert.equal(await page.getByRole('button', { name: 'Export Grafana dashboard…' }).isDisabled(), true);
    await page.close();
  });

  test('a 320 px panel: no horizontal scrolling, no CSP violations (screenshot in test-artifacts/webview/)', async () => {
    for (const width of [320, 760]) {
      const { page, show } = await openPage(width);
      await show(basic);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, `mirror-monitor-${width}.png`), fullPage: true });
      if (width === 760 && (!existsSync(docsScreenshot) || process.env.ISTIO_MIRROR_UPDATE_SCREENSHOTS === '1')) await page.screenshot({ path: docsScreenshot });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const wide = await page.locator('html, body, body *').evaluateAll((elements, limit) => elements.filter((element) => element.getBoundingClientRect().right > limit || element.scrollWidth > element.clientWidth + 1).map((element) => `${element.tagName}.${element.className} ${element.getBoundingClientRect().right} ${element.scrollWidth}`).slice(0, 12), width);
      assert.equal(overflow, 0, `${width} px: ${overflow} px of horizontal scrolling (${wide.join(', ')})`);
      assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations), []);
      await page.close();
    }
  });
});
