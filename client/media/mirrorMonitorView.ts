// The mirror-monitor webview page. It receives the monitoring model of a file's mirrors from the
// extension (`MonitorHostMessage`, client/src/mirrorMonitor/messages.ts; the model
// `istio-mirror monitor` prints) and draws, per mirror: the two sides with the label Istio
// reports for each, every PromQL pair (primary and mirror) with a copy button each, the shell
// commands with copy buttons, and the notes. "Export Grafana dashboard…" asks the extension to
// save the dashboard. Copying goes through the extension (the webview's own clipboard access
// depends on the browser's permissions).
//
// Everything is built with DOM calls and every string from the model is set as text; the page
// runs under a CSP without 'unsafe-inline'.

import type { MirrorMonitor, MirrorMonitorResult, MonitorTarget } from '../../server/src/protocol';
import { rowTitle } from '../../server/src/service/features/grafanaDashboard';
import { formatPercent } from '../../server/src/service/model/trafficShares';
import type { MonitorHostMessage, MonitorWebviewMessage } from '../src/mirrorMonitor/messages';
import { el } from './dom';

interface VsCodeApi {
  postMessage(message: MonitorWebviewMessage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

const app = document.getElementById('app') ?? document.body.appendChild(el('div'));
const fileLabel = el('span', 'file-name');
const windowLabel = el('span', 'window');
const exportButton = el('button', 'action export', 'Export Grafana dashboard…');
const toolbar = el('header', 'toolbar');
const content = el('main', 'content');

exportButton.type = 'button';
exportButton.title = 'Save the queries as a Grafana dashboard (the JSON `istio-mirror monitor --format grafana` prints)';
exportButton.addEventListener('click', () => vscode.postMessage({ type: 'exportGrafana' }));
toolbar.append(el('div', 'title', el('span', 'title-text', 'Mirror monitor'), fileLabel, windowLabel), exportButton);
app.append(toolbar, content);

/** Restores a copy button's label after it said "Copied". */
const resetTimers = new Map<string, ReturnType<typeof setTimeout>>();

function copyButton(id: string, text: string, what: string): HTMLButtonElement {
  const button = el('button', 'copy', 'Copy');
  button.type = 'button';
  button.dataset.copyId = id;
  button.title = `Copy ${what}`;
  button.setAttribute('aria-label', `Copy ${what}`);
  button.addEventListener('click', () => vscode.postMessage({ type: 'copy', id, text }));
  return button;
}

function copied(id: string): void {
  const button = content.querySelector<HTMLButtonElement>(`button.copy[data-copy-id="${CSS.escape(id)}"]`);
  if (!button) return;
  button.textContent = 'Copied';
  button.classList.add('is-copied');
  clearTimeout(resetTimers.get(id));
  resetTimers.set(id, setTimeout(() => {
    button.textContent = 'Copy';
    button.classList.remove('is-copied');
    resetTimers.delete(id);
  }, 1500));
}

function sideName(target: MonitorTarget): string {
  return target.subset ? `${target.host}/${target.subset}` : target.host;
}

function codeBlock(className: string, text: string): HTMLElement {
  return el('pre', className, el('code', undefined, text));
}

function sideRow(role: 'Primary' | 'Mirror', target: MonitorTarget, extra?: string): HTMLElement {
  return el('div', 'side',
    el('span', 'side-role', role),
    el('span', 'side-name', sideName(target)),
    el('code', 'side-label', target.reportedAs),
    extra !== undefined && el('span', 'side-extra', extra));
}

function mirrorSection(monitor: MirrorMonitor, index: number): HTMLElement {
  const section = el('section', 'mirror');
  section.dataset.index = String(index);
  section.append(
    el('h2', 'mirror-title', rowTitle(monitor)),
    el('div', 'sides',
      sideRow('Primary', monitor.primary),
      sideRow('Mirror', monitor.mirror, `${formatPercent(monitor.percent)} of the rule's requests copied`)),
  );
  if (monitor.queries.length > 0) {
    const queries = el('div', 'queries');
    monitor.queries.forEach((query, q) => {
      const rows = (['primary', 'mirror'] as const).map((role) => el('div', `query-row query-${role}`,
        el('span', 'query-role', role),
        codeBlock('query-text', query[role]),
        copyButton(`q-${index}-${q}-${role}`, query[role], `the ${role}'s ${query.title} query`)));
      const block = el('div', 'query', el('h4', 'query-title', query.title), ...rows);
      block.dataset.name = query.name;
      queries.append(block);
    });
    section.append(el('h3', undefined, 'PromQL'), queries);
  }
  if (monitor.commands.length > 0) {
    const commands = el('div', 'commands');
    monitor.commands.forEach((command, c) => {
      commands.append(el('div', 'command',
        el('p', 'command-description', command.description),
        el('div', 'command-row', codeBlock('command-text', command.command), copyButton(`c-${index}-${c}`, command.command, 'the command'))));
    });
    section.append(el('h3', undefined, 'Commands'), commands);
  }
  if (monitor.notes.length > 0) {
    section.append(el('h3', undefined, 'Notes'), el('ul', 'notes', ...monitor.notes.map((note) => el('li', undefined, note))));
  }
  return section;
}

function render(fileName: string, model: MirrorMonitorResult, focus: number | undefined): void {
  fileLabel.textContent = fileName;
  windowLabel.textContent = `rates over ${model.window}`;
  if (model.monitors.length === 0) {
    exportButton.disabled = true;
    content.replaceChildren(el('div', 'empty',
      el('p', 'empty-title', 'No mirror in this file'),
      el('p', 'empty-detail', 'A VirtualService http rule with mirror or mirrors, or an HTTPRoute or GRPCRoute rule with a RequestMirror filter, gets a Monitor lens; this panel shows its queries.')));
  } else {
    exportButton.disabled = false;
    content.replaceChildren(...model.monitors.map(mirrorSection));
  }
  let focused: number | undefined;
  if (focus !== undefined) {
    const section = content.querySelector<HTMLElement>(`section.mirror[data-index="${focus}"]`);
    if (section) {
      for (const previous of content.querySelectorAll('.mirror.is-focused')) previous.classList.remove('is-focused');
      section.classList.add('is-focused');
      section.scrollIntoView({ block: 'start' });
      focused = focus;
    }
  }
  const queries = [...content.querySelectorAll('.query-text')].map((block) => block.textContent ?? '');
  vscode.postMessage({ type: 'rendered', mirrors: model.monitors.length, queries, commands: content.querySelectorAll('.command').length, ...(focused !== undefined ? { focused } : {}) });
}

window.addEventListener('message', (event: MessageEvent<MonitorHostMessage>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'show':
      render(message.fileName, message.model, message.focus);
      break;
    case 'copied':
      copied(message.id);
      break;
  }
});

content.replaceChildren(el('div', 'empty', el('p', 'empty-title', 'Waiting for the language server…')));
vscode.postMessage({ type: 'ready' });
