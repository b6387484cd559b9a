// The traffic-split webview page (client/media/trafficSplitView.ts, bundled into dist/media/)
// loaded in headless Chromium through playwright-core, in a harness that stands in for VS Code:
// the real page HTML (client/src/trafficSplit/pageHtml.ts) with its Content-Security-Policy,
// served from a loopback HTTP server, theme variables like VS Code's, and a stub
// `acquireVsCodeApi` that records what the page posts. The model comes from the language
// service for the YAML fixtures in fixtures/, as the extension would send it. Screenshots go to
// test-artifacts/webview/ (and docs/screenshots/traffic-split.png when that is missing or
// ISTIO_MIRROR_UPDATE_SCREENSHOTS=1).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newNonce, trafficSplitPageHtml } from '../../client/src/trafficSplit/pageHtml';
import type { HostMessage, WebviewMessage } from '../../client/src/trafficSplit/messages';
import type { TrafficSplitResult } from '../../server/src/protocol';
import { IstioLanguageService } from '../../server/src/service/languageService';

// The browser globals that the callbacks run in the page (`page.evaluate`) use, declared for
// this file only: the root tsconfig has no DOM library, and it should not give the Node code
// DOM globals. (client/media/ is type-checked with the DOM library by the last test.)
interface PageElement {
  textContent: string | null;
  tagName: string;
  clientWidth: number;
  classList: { contains(name: string): boolean };
  dataset: Record<string, string | undefined>;
  attributes: ArrayLike<{ name: string }>;
  children: ArrayLike<PageElement>;
  style: Record<string, string>;
  querySelector(selector: string): PageElement | null;
  getBoundingClientRect(): { width: number; top: number; bottom: number };
  appendChild(child: PageElement): PageElement;
  remove(): void;
}
declare const document: {
  body: PageElement;
  documentElement: { scrollWidth: number; clientWidth: number };
  activeElement: PageElement | null;
  createElement(tag: string): PageElement;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};
declare const window: { innerHeight: number; postMessage(data: unknown, targetOrigin: string): void };
declare function getComputedStyle(element: PageElement): { color: string; opacity: string; filter: string; borderTopStyle: string };

const root = join(__dirname, '..', '..');
const chromiumPath = '/usr/bin/chromium';
const media = join(root, 'dist', 'media');
const artifacts = join(root, 'test-artifacts', 'webview');
const docsScreenshot = join(root, 'docs', 'screenshots', 'traffic-split.png');

// ---- the model, from the language service -------------------------------------------------

const reviewsUri = 'file:///workspace/shop/reviews.yaml';
const hostileUri = 'file:///workspace/shop/hostile.yaml';

function modelOf(uri: string): TrafficSplitResult {
  const service = new IstioLanguageService();
  service.setFile(reviewsUri, readFileSync(join(__dirname, 'fixtures', 'reviews.yaml'), 'utf8'));
  service.setFile(hostileUri, readFileSync(join(__dirname, 'fixtures', 'hostile.yaml'), 'utf8'));
  return service.trafficSplit([uri]);
}

const reviews = modelOf(reviewsUri);
const hostile = modelOf(hostileUri);

// ---- setup: Chromium, the bundle, the harness server ----------------------------------------

/** Chromium comes from Debian; the e2e host installer puts it there (idempotent). */
function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  const installed = spawnSync('bash', [join(root, 'e2e/host/install.sh')], { cwd: root, stdio: 'inherit' });
  if (installed.status !== 0 || !existsSync(chromiumPath)) {
    throw new Error(`the webview page test needs Chromium at ${chromiumPath}; \`bash e2e/host/install.sh\` (apt-get install chromium) did not provide it (exit ${installed.status ?? installed.signal})`);
  }
}

function newestSource(dir: string): number {
  return Math.max(0, ...readdirSync(dir).map((name) => statSync(join(dir, name)).mtimeMs));
}

/** Reuses dist/media/ when it is newer than the page's sources (and the core functions it bundles), else builds. */
function ensureBundle(): void {
  const bundle = join(media, 'trafficSplitView.js');
  const core = ['server/src/service/features/trafficSplit.ts', 'server/src/service/model/trafficShares.ts'].map((file) => statSync(join(root, file)).mtimeMs);
  const sources = Math.max(newestSource(join(root, 'client/media')), newestSource(join(root, 'client/src/trafficSplit')), ...core);
  const fresh = existsSync(bundle) && existsSync(join(media, 'trafficSplitView.css')) && statSync(bundle).mtimeMs >= sources;
  if (fresh) return;
  const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
  assert.equal(built.status, 0, 'node scripts/build.mjs --quiet failed');
}

type Theme = 'light' | 'dark' | 'high-contrast';

/** A subset of the variables VS Code sets on a webview's <html> (Light Modern, Dark Modern, Dark High Contrast). */
const themes: Record<Theme, { bodyClass: string; variables: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    variables: {
      'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', 'descriptionForeground': '#717171', 'widget-border': '#e5e5e5',
      'focusBorder': '#005fb8', 'errorForeground': '#c72e0f', 'disabledForeground': 'rgba(97, 97, 97, 0.5)', 'charts-blue': '#1a85ff',
      'charts-green': '#388a34', 'charts-orange': '#d18616', 'charts-purple': '#652d90', 'charts-yellow': '#bf8803', 'charts-foreground': '#616161',
      'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece',
      'list-hoverBackground': '#f2f2f2',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    variables: {
      'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', 'descriptionForeground': '#9d9d9d', 'widget-border': '#313131',
      'focusBorder': '#0078d4', 'errorForeground': '#f85149', 'disabledForeground': 'rgba(204, 204, 204, 0.5)', 'charts-blue': '#3794ff',
      'charts-green': '#89d185', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-yellow': '#cca700', 'charts-foreground': '#cccccc',
      'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c',
      'list-hoverBackground': '#2a2d2e',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    variables: {
      'editor-background': '#000000', 'editor-foreground': '#ffffff', 'descriptionForeground': 'rgba(255, 255, 255, 0.7)', 'contrastBorder': '#6fc3df',
      'contrastActiveBorder': '#f38518', 'focusBorder': '#f38518', 'errorForeground': '#f48771', 'disabledForeground': '#a5a5a5', 'charts-blue': '#3794ff',
      'charts-green': '#89d185', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-yellow': '#cca700', 'charts-foreground': '#ffffff',
      'badge-background': '#000000', 'badge-foreground': '#ffffff', 'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df',
    },
  },
};

const fontVariables = '--vscode-font-family: system-ui, "Ubuntu", "Droid Sans", sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: "DejaVu Sans Mono", monospace;';

function themeCss(theme: Theme): string {
  const variables = Object.entries(themes[theme].variables).map(([name, value]) => `--vscode-${name}: ${value};`).join(' ');
  return `html { ${fontVariables} ${variables} }\n`;
}

let server: Server;
let origin: string;
let browser: Browser;

/** `/?theme=dark&csp=off`: the real page HTML; `/media/…`: dist/media; `/theme/<name>.css`: the theme. */
function serve(): Promise<void> {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const send = (type: string, body: string | Buffer): void => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/') {
      const theme = (url.searchParams.get('theme') ?? 'light') as Theme;
      let html = trafficSplitPageHtml({ cspSource: origin, scriptUri: `${origin}/media/trafficSplitView.js`, styleUri: `${origin}/media/trafficSplitView.css`, nonce: newNonce() })
        .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme/${theme}.css">\n  <link rel="stylesheet"`)
        .replace('<body>', `<body class="${themes[theme].bodyClass}">`);
      if (url.searchParams.get('csp') === 'off') html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
      send('text/html; charset=utf-8', html);
    } else if (url.pathname.startsWith('/theme/')) {
      send('text/css', themeCss(url.pathname.slice('/theme/'.length).replace(/\.css$/, '') as Theme));
    } else if (url.pathname === '/media/trafficSplitView.js') {
      send('text/javascript', readFileSync(join(media, 'trafficSplitView.js')));
    } else if (url.pathname === '/media/trafficSplitView.css') {
      send('text/css', readFileSync(join(media, 'trafficSplitView.css')));
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resolve();
  }));
}

// ---- driving a page ---------------------------------------------------------------------------

interface Harness {
  page: Page;
  dialogs: string[];
  posted(): Promise<WebviewMessage[]>;
  show(message: Omit<Extract<HostMessage, { type: 'show' }>, 'type'>): Promise<void>;
}

/**
 * Stands in for VS Code's webview API; runs before the page's script (and outside its CSP).
 * A string, not a function: tsx would add helpers to a function's source that the page lacks.
 */
const stubVsCodeApi = `
  (() => {
    const recorded = [];
    const violations = [];
    let state;
    Object.assign(window, {
      __posted: recorded,
      __cspViolations: violations,
      __state: () => state,
      acquireVsCodeApi: () => ({
        postMessage: (message) => { recorded.push(JSON.parse(JSON.stringify(message))); },
        getState: () => state,
        setState: (value) => { state = value; },
      }),
    });
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective + ' ' + event.blockedURI));
  })();
`;

async function openPage(options: { theme?: Theme; width?: number; csp?: boolean } = {}): Promise<Harness> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 720, height: 900 }, deviceScaleFactor: 1 });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript({ content: stubVsCodeApi });
  await page.goto(`${origin}/?theme=${options.theme ?? 'light'}${options.csp === false ? '&csp=off' : ''}`);
  const posted = (): Promise<WebviewMessage[]> => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((message) => message.type === 'ready'));
  return {
    page,
    dialogs,
    posted,
    async show(message) {
      const before = (await posted()).filter((m) => m.type === 'rendered').length;
      await page.evaluate((data) => window.postMessage(data, '*'), { type: 'show', ...message } satisfies HostMessage);
      await page.waitForFunction((count) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered').length > count, before);
    },
  };
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The text of each element matching `selector`, whitespace collapsed. */
function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) => elements.map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

interface BarMeasure {
  name: string;
  kind: string;
  percent: number;
  label: string;
  fill: number;
  track: number;
  border: string;
}

function measureBars(page: Page, scope = ''): Promise<BarMeasure[]> {
  return page.locator(`${scope} .target`).evaluateAll((rows) => rows.map((row) => {
    const fill = row.querySelector('.fill')!;
    const bar = row.querySelector('.bar')!;
    return {
      name: row.querySelector('.target-name')!.textContent ?? '',
      kind: (row as PageElement).dataset.kind ?? '',
      percent: Number((row as PageElement).dataset.percent),
      label: row.querySelector('.target-percent')!.textContent ?? '',
      fill: fill.getBoundingClientRect().width,
      track: bar.clientWidth,
      border: getComputedStyle(fill).borderTopStyle,
    };
  }));
}

function rule(page: Page, name: string): ReturnType<Page['locator']> {
  return page.locator('.rule', { has: page.locator('.rule-name', { hasText: name }) });
}

// ---- the tests ------------------------------------------------------------------------------

describe('traffic-split webview page', () => {
  before(async () => {
    ensureChromium();
    ensureBundle();
    await serve();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  test('the page HTML: strict CSP, a fresh nonce each time, no data', () => {
    const resources = { cspSource: 'https://example.vscode-cdn.net', scriptUri: 'https://example.vscode-cdn.net/dist/media/trafficSplitView.js', styleUri: 'https://example.vscode-cdn.net/dist/media/trafficSplitView.css' };
    const first = newNonce();
    assert.notEqual(first, newNonce());
    assert.equal(Buffer.from(first, 'base64').length, 16);
    const html = trafficSplitPageHtml({ ...resources, nonce: first });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; script-src 'nonce-${first}'; style-src https://example.vscode-cdn.net; img-src https://example.vscode-cdn.net data:`);
    assert.equal([...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]).join(), `<script nonce="${first}" src="${resources.scriptUri}">`);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|<style|style="/);
  });

  test('rules in order with their matches in plain words; hosts and gateways', async () => {
    const { page } = await openPage();
    await openAndShow(page);
    assert.deepEqual(await texts(page, '.vs-name'), ['shop/reviews']);
    assert.deepEqual(await texts(page, '.vs-meta dd:nth-of-type(1) .chip'), ['reviews', 'reviews.example.com']);
    assert.deepEqual(await texts(page, '.vs-meta dd:nth-of-type(2) .chip'), ['shop-gateway', 'mesh']);
    assert.deepEqual(await texts(page, '.rule-name'), ['test-users', 'api', 'default', 'legacy']);
    assert.deepEqual(await texts(page, '.rule-number'), ['#1', '#2', '#3', '#4'], 'numbered as in messages, code lenses and the outline');
    assert.deepEqual(await texts(page, '.rule-match'), ['header x-test-user = true', 'URI prefix /api', 'all other requests', 'URI prefix /v1']);
    await page.close();
  });

  test('destination bars are proportional to the normalised shares (70/20 → 77.8 % / 22.2 %), with labels', async () => {
    const { page } = await openPage();
    await openAndShow(page);
    const bars = await measureBars(page);
    assert.equal(bars.length, 8);
    for (const bar of bars) {
      assert.ok(bar.track > 100, `the bar of ${bar.name} has room (${bar.track} px)`);
      assert.ok(Math.abs(bar.fill - (bar.track * bar.percent) / 100) <= 1, `${bar.name}: ${bar.fill} px of ${bar.track} px for ${bar.percent} %`);
    }
    const api = await measureBars(page, '.rule:nth-child(2)');
    assert.deepEqual(api.map((bar) => [bar.kind, bar.name, bar.label]), [
      ['destination', 'reviews/stable', '77.8 %'],
      ['destination', 'reviews/canary', '22.2 %'],
      ['mirror', 'reviews/shadow', '10 %'],
      ['mirror', 'reviews-audit', '25 %'],
    ]);
    assert.ok(Math.abs(api[0]!.fill / api[1]!.fill - 70 / 20) < 0.05, `stable:canary bar widths ${api[0]!.fill}:${api[1]!.fill} is 70:20`);
    assert.deepEqual(await texts(page, '.rule:nth-child(2) .target-destination .target-detail'), ['weight 70 · 77.8 % of requests with URI prefix /api', 'weight 20 · 22.2 % of requests with URI prefix /api']);
    // The share is of the requests the rule's match takes, never "all requests".
    assert.deepEqual(await texts(page, '.rule:nth-child(1) .target-destination .target-detail'), ['100 % of requests with header x-test-user = true']);
    await page.close();
  });

  test('every mirror target is drawn dashed and marked as a copy whose response is discarded', async () => {
    const { page } = await openPage();
    await openAndShow(page);
    const mirrors = (await measureBars(page)).filter((bar) => bar.kind === 'mirror');
    assert.deepEqual(mirrors.map((bar) => [bar.name, bar.label, bar.border]), [
      ['reviews/shadow', '50 %', 'dashed'],
      ['reviews/shadow', '10 %', 'dashed'],
      ['reviews-audit', '25 %', 'dashed'],
    ]);
    for (const bar of (await measureBars(page)).filter((candidate) => candidate.kind === 'destination')) assert.notEqual(bar.border, 'dashed', bar.name);
    assert.deepEqual(await texts(page, '.target-mirror .copy-tag'), ['copy', 'copy', 'copy']);
    assert.deepEqual(await texts(page, '.target-mirror .target-detail'), [
      'configured for 50 % of requests with header x-test-user = true',
      'configured for 10 % of requests with URI prefix /api',
      'a copy of 25 % of requests with URI prefix /api, response discarded',
    ]);
    assert.deepEqual(await texts(page, '.mirrors-label'), ['Mirrored: a copy of each forwarded request, response discarded', 'Mirrored: copies of each forwarded request, responses discarded']);
    await page.close();
  });

  test('an unreachable rule is greyed out with the reason; a subset that resolves to nothing is red with the reason', async () => {
    const { page } = await openPage();
    await openAndShow(page);
    const legacy = rule(page, 'legacy');
    assert.match(await legacy.getAttribute('class') ?? '', /\bis-unreachable\b/);
    assert.equal((await legacy.locator('.unreachable-reason').textContent())?.trim(), 'Never reached: rule #3 "default" before it has no match and takes every request');
    const style = await legacy.evaluate((element) => {
      const head = getComputedStyle(element.querySelector('.rule-name')!);
      const fill = getComputedStyle(element.querySelector('.fill')!);
      const reference = document.body.appendChild(document.createElement('span'));
      reference.style.color = 'var(--vscode-disabledForeground)';
      const disabled = getComputedStyle(reference).color;
      reference.remove();
      return { color: head.color, disabled, opacity: Number(fill.opacity), filter: fill.filter };
    });
    assert.equal(style.color, style.disabled, 'the rule is drawn in the theme\'s disabledForeground');
    assert.ok(style.opacity < 1 && style.filter.includes('grayscale'), `the bar is faded: ${JSON.stringify(style)}`);
    assert.equal((await legacy.locator('.target-detail').textContent())?.trim(), 'never reached');
    for (const name of ['test-users', 'api', 'default']) assert.doesNotMatch(await rule(page, name).getAttribute('class') ?? '', /is-unreachable/);

    const problems = await page.locator('.target.has-problem').evaluateAll((rows) => rows.map((row) => {
      const problem = row.querySelector('.target-problem')!;
      const reference = document.body.appendChild(document.createElement('span'));
      reference.style.color = 'var(--vscode-errorForeground)';
      const error = getComputedStyle(reference).color;
      reference.remove();
      return { name: row.querySelector('.target-name')!.textContent, text: problem.textContent, red: getComputedStyle(problem).color === error && getComputedStyle(row.querySelector('.target-name')!).color === error };
    }));
    assert.deepEqual(problems, [
      { name: 'reviews/shadow', text: '✗ Copies dropped: subset "shadow" is not in DestinationRule shop/reviews (it has stable, canary)', red: true },
      { name: 'reviews/shadow', text: '✗ Copies dropped: subset "shadow" is not in DestinationRule shop/reviews (it has stable, canary)', red: true },
      { name: 'reviews/v0', text: '✗ Requests sent here fail with 503 (the proxy has no cluster for this subset): subset "v0" is not in DestinationRule shop/reviews (it has stable, canary)', red: true },
    ]);
    await page.close();
  });

  test('per N requests to the VirtualService: ranges while the share of a match is unknown, one number once it is entered; N is validated', async () => {
    const { page } = await openPage();
    await openAndShow(page);
    const totals = (): Promise<string[]> => page.locator('.totals-row:not(.totals-header)').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim()).join(' | ')));
    assert.equal((await page.locator('.totals-title').textContent())?.trim(), 'Per 1,000 requests to this VirtualService');
    // Rules #1 (a header) and #2 (a URI prefix) take an unknown share: from none to all of what reaches them.
    assert.deepEqual(await totals(), [
      'reviews/canary | 0–1,000 | –',
      'reviews/shadow✗ subset not defined | – | 0–500 dropped',
      'reviews/stable | 0–1,000 | –',
      'reviews-audit | – | 0–250',
      'reviews/v0✗ subset not defined | – | –',
    ]);
    assert.match(await page.locator('.totals-note').textContent() ?? '', /^How many requests match rules #1 "test-users", #2 "api" is not in the configuration, so the figures are ranges/);
    assert.deepEqual(await texts(page, '.share-rule'), ['Rule #1 "test-users"', 'Rule #2 "api"']);

    // 10 % of the requests carry the header; 30 % of the rest start with /api.
    await page.locator('.share-input[data-rule="http:0"]').fill('10');
    await page.locator('.share-input[data-rule="http:0"]').press('Enter');
    await page.locator('.share-input[data-rule="http:1"]').fill('30');
    await page.locator('.share-input[data-rule="http:1"]').press('Enter');
    assert.deepEqual(await totals(), [
      'reviews/canary | 160 | –',
      'reviews/shadow✗ subset not defined | – | 77 dropped',
      'reviews/stable | 840 | –',
      'reviews-audit | – | 67.5',
      'reviews/v0✗ subset not defined | – | –',
    ]);
    assert.match(await page.locator('.totals-note').textContent() ?? '', /^Assumes the shares entered above/);
    await page.locator('.share-input[data-rule="http:0"]').fill('150');
    await page.locator('.share-input[data-rule="http:0"]').press('Enter');
    assert.equal(await page.locator('.share-input[data-rule="http:0"]').getAttribute('aria-invalid'), 'true', '150 % is refused');
    assert.deepEqual((await totals())[0], 'reviews/canary | 160 | –', 'the last valid share stays');

    const input = page.locator('#per-requests');
    assert.equal(await input.inputValue(), '1000');
    await input.fill('250');
    assert.deepEqual((await totals())[2], 'reviews/stable | 210 | –');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __state(): unknown }).__state()), { perRequests: 250, matchShares: { 'VirtualService|shop/reviews': { 'http:0': 10, 'http:1': 30 } } });

    for (const bad of ['0', '-5', 'abc', '1.5', '']) {
      await input.fill(bad);
      assert.equal(await input.getAttribute('aria-invalid'), 'true', `"${bad}" is rejected`);
      assert.ok(await page.locator('#per-requests-error').isVisible(), `the error shows for "${bad}"`);
      assert.equal((await page.locator('.totals-title').textContent())?.trim(), 'Per 250 requests to this VirtualService', 'the last valid N stays');
    }
    await input.fill('2,000');
    assert.equal(await input.getAttribute('aria-invalid'), 'false');
    assert.ok(await page.locator('#per-requests-error').isHidden());
    assert.equal((await page.locator('.totals-title').textContent())?.trim(), 'Per 2,000 requests to this VirtualService');
    assert.deepEqual((await totals())[0], 'reviews/canary | 320 | –');
    await page.close();
  });

  test('clicking a target or pressing Enter on a rule posts a reveal of its range', async () => {
    const harness = await openPage();
    const { page } = harness;
    await openAndShow(page);
    const vs = reviews.virtualServices[0]!;
    await rule(page, 'api').locator('.target', { hasText: 'reviews/canary' }).click();
    const reveals = async (): Promise<WebviewMessage[]> => (await harness.posted()).filter((message) => message.type === 'reveal');
    assert.deepEqual(await reveals(), [{ type: 'reveal', uri: reviewsUri, range: vs.routes[1]!.destinations[1]!.range }]);
    assert.equal(vs.routes[1]!.destinations[1]!.range.start.line, 40, 'the `host: reviews` line of the canary destination of rule "api" (0-based)');

    await rule(page, 'test-users').locator('.target-mirror').click();
    assert.deepEqual((await reveals())[1], { type: 'reveal', uri: reviewsUri, range: vs.routes[0]!.mirrors[0]!.range });

    // Keyboard: the rules and targets are buttons in tab order; Enter reveals.
    await rule(page, 'default').locator('.rule-head').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual((await reveals())[2], { type: 'reveal', uri: reviewsUri, range: vs.routes[2]!.range });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.querySelector('.target-name')?.textContent), 'reviews/stable');
    await page.keyboard.press('Enter');
    assert.deepEqual((await reveals())[3], { type: 'reveal', uri: reviewsUri, range: vs.routes[2]!.destinations[0]!.range });
    await page.close();
  });

  for (const csp of [true, false]) {
    test(`hostile strings render as text and run nothing (${csp ? 'with the CSP' : 'even without the CSP'})`, async () => {
      const harness = await openPage({ csp });
      const { page } = harness;
      await harness.show({ fileName: 'hostile.yaml', model: hostile });
      await page.waitForTimeout(300); // time for an image error or an iframe load to fire, if any existed
      assert.deepEqual(await page.locator('#app img, #app script, #app iframe, #app b, #app svg[onload]').count(), 0);
      const handlers = await page.evaluate(() => Array.from(document.querySelectorAll('*')).flatMap((element) => Array.from(element.attributes).filter((attribute) => attribute.name.startsWith('on')).map((attribute) => `${element.tagName} ${attribute.name}`)));
      assert.deepEqual(handlers, []);
      assert.deepEqual(harness.dialogs, []);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
      assert.deepEqual(await texts(page, '.vs-meta .chip'), ['<img src=x onerror=alert(1)>', '<svg onload=window.__pwned=1>']);
      assert.deepEqual(await texts(page, '.rule-name'), ['<b>bold</b><script>window.__pwned=1</script>']);
      assert.deepEqual(await texts(page, '.rule-match'), ['header x-user = <img src=x onerror=window.__pwned=1>']);
      assert.deepEqual(await texts(page, '.target-name'), ['<img src=x onerror=alert(1)>/<img src=y onerror=window.__pwned=1>', '<iframe src=javascript:window.__pwned=1>']);
      assert.match(await page.locator('.target-problem').first().textContent() ?? '', /subset "<img src=y onerror=window.__pwned=1>"/);
      if (csp) assert.deepEqual(await cspViolations(page), []);
      await screenshot(page, 'traffic-split-hostile');
      await page.close();
    });
  }

  test('the VirtualService under the cursor is marked; a rule asked for is scrolled to and highlighted', async () => {
    const harness = await openPage({ width: 480 });
    const { page } = harness;
    const both: TrafficSplitResult = { virtualServices: [...reviews.virtualServices, ...hostile.virtualServices], activeIndex: 1 };
    await harness.show({ fileName: 'both.yaml', model: both });
    assert.deepEqual(await page.locator('.vs').evaluateAll((sections) => sections.map((section) => section.classList.contains('is-active'))), [false, true]);
    assert.deepEqual(await texts(page, '.vs.is-active .active-tag'), ['under the cursor']);
    await harness.show({ fileName: 'both.yaml', model: { ...both, activeIndex: 0 }, focus: { virtualService: 0, route: 3 } });
    const legacy = rule(page, 'legacy');
    assert.match(await legacy.getAttribute('class') ?? '', /\bis-focused\b/);
    assert.ok(await legacy.isVisible());
    const inView = await legacy.evaluate((element) => {
      const box = element.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    });
    assert.ok(inView, 'the focused rule is scrolled into view');
    await page.close();
  });

  test('an update redraws only the VirtualServices that changed; a window of a large file says which one it shows', async () => {
    const harness = await openPage({ width: 480 });
    const { page } = harness;
    const three: TrafficSplitResult = { virtualServices: [...reviews.virtualServices, ...hostile.virtualServices, ...reviews.virtualServices] };
    await harness.show({ fileName: 'three.yaml', model: three });
    // Tag the drawn sections: a section that is redrawn loses its tag.
    await page.locator('.vs').evaluateAll((sections) => sections.forEach((section, i) => { section.dataset.tag = `drawn-${i}`; }));
    const changed = structuredClone(three);
    changed.virtualServices[1]!.name = 'renamed';
    await harness.show({ fileName: 'three.yaml', model: changed });
    assert.deepEqual(await page.locator('.vs').evaluateAll((sections) => sections.map((section) => section.dataset.tag ?? 'new')), ['drawn-0', 'new', 'drawn-2']);
    assert.ok((await texts(page, '.vs-name')).some((name) => name.endsWith('/renamed')));
    // A large file: one VirtualService, and the note above it.
    await harness.show({ fileName: 'large.yaml', model: { virtualServices: reviews.virtualServices, activeIndex: 0, totalVirtualServices: 400, firstIndex: 199 } });
    assert.match((await texts(page, '.window-note'))[0] ?? '', /^VirtualService 200 of 400 in this file, the one under the cursor/);
    assert.equal(await page.locator('.vs').count(), 1);
    await page.close();
  });

  test('an HTTPRoute is drawn with its kind, parents and hostnames, weights and mirror fraction; a rule without backends says HTTP 500', async () => {
    const service = new IstioLanguageService();
    service.setFile('file:///route.yaml', `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: bookinfo}
spec:
  parentRefs:
  - {name: public, sectionName: http}
  hostnames: [bookinfo.example.com]
  rules:
  - matches:
    - path: {value: /api}
    filters:
    - type: RequestMirror
      requestMirror:
        backendRef: {name: reviews-v2, port: 9080}
        fraction: {numerator: 5, denominator: 1000}
    backendRefs:
    - {name: reviews-v1, port: 9080, weight: 3}
    - {name: reviews-v2, port: 9080}
  - matches:
    - path: {value: /broken}
    backendRefs:
    - {name: reviews-v1, port: 9080, weight: 0}
`);
    const harness = await openPage();
    await harness.show({ fileName: 'route.yaml', model: service.trafficSplitWindow('file:///route.yaml', undefined, Number.POSITIVE_INFINITY) });
    const { page } = harness;
    await page.waitForSelector('.rule');
    assert.deepEqual(await texts(page, '.vs-kind'), ['HTTPRoute']);
    assert.deepEqual(await texts(page, '.vs-meta dt'), ['Parents', 'Hostnames']);
    assert.deepEqual(await texts(page, '.vs-meta dd:nth-of-type(1) .chip'), ['Gateway public/http']);
    assert.deepEqual(await texts(page, '.vs-meta dd:nth-of-type(2) .chip'), ['bookinfo.example.com']);
    assert.deepEqual(await texts(page, '.rule-match'), ['path prefix /api', 'path prefix /broken']);
    assert.deepEqual((await measureBars(page)).map((bar) => [bar.name, bar.kind, bar.percent]), [['reviews-v1', 'destination', 75], ['reviews-v2', 'destination', 25], ['reviews-v2', 'mirror', 0.5]]);
    assert.match((await page.locator('.rule').nth(1).textContent()) ?? '', /every request gets an error \(HTTP 500\)/);
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  test('empty state: "No VirtualService in this file"', async () => {
    const harness = await openPage();
    await harness.show({ fileName: 'deployment.yaml', model: { virtualServices: [] } });
    assert.equal((await harness.page.locator('.empty-title').textContent())?.trim(), 'No VirtualService in this file');
    assert.ok(await harness.page.locator('#per-requests').isHidden(), 'no N to set without rules');
    const rendered = (await harness.posted()).filter((message) => message.type === 'rendered');
    assert.deepEqual(rendered.at(-1), { type: 'rendered', virtualServices: 0, routes: 0, targets: 0, empty: 'No VirtualService in this file', words: [] });
    await harness.page.close();
  });

  test('empty state of a Helm template: "Helm template: not checked"', async () => {
    const harness = await openPage();
    await harness.show({ fileName: 'virtualservice.yaml', model: { virtualServices: [], templateDocuments: 1 } });
    assert.equal((await harness.page.locator('.empty-title').textContent())?.trim(), 'Helm template: not checked');
    const rendered = (await harness.posted()).filter((message) => message.type === 'rendered');
    assert.deepEqual(rendered.at(-1), { type: 'rendered', virtualServices: 0, routes: 0, targets: 0, empty: 'Helm template: not checked', words: [] });
    await harness.page.close();
  });

  test('light, dark, high contrast and a 320 px panel: no horizontal scrolling, no CSP violations (screenshots in test-artifacts/webview/)', async () => {
    const shots: Record<string, string> = {};
    for (const [name, options] of Object.entries({ light: { theme: 'light', width: 560 }, dark: { theme: 'dark', width: 560 }, 'high-contrast': { theme: 'high-contrast', width: 560 }, narrow: { theme: 'dark', width: 320 } } as const)) {
      const harness = await openPage(options);
      const { page } = harness;
      await openAndShow(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, `${name}: no horizontal scrolling`);
      assert.deepEqual(await cspViolations(page), [], `${name}: nothing blocked by the CSP`);
      // Bars stay proportional at every width.
      for (const bar of await measureBars(page)) assert.ok(Math.abs(bar.fill - (bar.track * bar.percent) / 100) <= 1, `${name}: ${bar.name}`);
      shots[name] = await screenshot(page, `traffic-split-${name}`);
      await page.close();
    }
    if (!existsSync(docsScreenshot) || process.env.ISTIO_MIRROR_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(docsScreenshot, '..'), { recursive: true });
      copyFileSync(shots.dark!, docsScreenshot);
    }
  });

  test('the page script type-checks with the DOM library (client/media/tsconfig.json)', () => {
    const result = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'client/media/tsconfig.json'), '--noEmit'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});

async function openAndShow(page: Page): Promise<void> {
  await page.evaluate((data) => window.postMessage(data, '*'), { type: 'show', fileName: 'reviews.yaml', model: reviews } satisfies HostMessage);
  await page.waitForSelector('.rule');
}
