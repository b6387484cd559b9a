/// <reference types="mocha" />
// Driving the workbench as a user does, for the tests whose defect lives in the UI: type into
// a quick input, press keys, read what the quick input, the suggest widget or the Problems panel
// shows. The steps run in the page through the code-server shim's UI protocol
// (e2e/host/uiDriver.js); a desktop VS Code has no such channel, so these tests are reported
// as pending there (never as passed).

import * as assert from 'node:assert/strict';
import { waitFor } from './helpers';

type Step =
  | { type: string; delay?: number }
  | { press: string }
  | { texts: string }
  | { attributes: string; name?: string }
  | { waitFor: string; timeoutMs?: number }
  | { waitGone: string; timeoutMs?: number }
  | { click: string; timeoutMs?: number }
  | { fill: string; text: string; timeoutMs?: number }
  | { frameImages: string }
  | { typeMeasured: string; in: string; prefix?: string; pauseMs?: number; timeoutMs?: number };

const driver = require('../../e2e/host/uiDriver.js') as { available(): boolean; run(steps: Step[]): Promise<unknown[]> };

/** Marks the test pending when the workbench cannot be driven (not under the shim). */
export function needsUi(context: Mocha.Context): void {
  if (!driver.available()) context.skip();
}

export const run = (steps: Step[]): Promise<unknown[]> => driver.run(steps);

export const quickInput = '.quick-input-widget';
const title = `${quickInput} .quick-input-title`;
const rows = `${quickInput} .quick-input-list .monaco-list-row`;
const message = `${quickInput} .quick-input-message`;

/** Types `text` key by key (`delayMs` between keys; a person types about one key per 100 ms). */
export async function type(text: string, delayMs = 10): Promise<void> {
  await run([{ type: text, delay: delayMs }]);
}

export async function press(...keys: string[]): Promise<void> {
  await run(keys.map((key) => ({ press: key })));
}

/** The quick input's title, or undefined when none is shown. */
export async function quickInputTitle(): Promise<string | undefined> {
  const [titles] = (await run([{ texts: title }])) as [string[]];
  return titles[0]?.trim() || undefined;
}

/** Waits until a quick input whose title contains `text` is shown. */
export function waitForQuickInput(text: string): Promise<string> {
  return waitFor(`a quick input titled "${text}"`, async () => {
    const shown = await quickInputTitle();
    return shown?.includes(text) ? shown : undefined;
  });
}

/** The aria labels of the quick pick's visible rows (label, description and detail). */
export async function quickPickRows(): Promise<string[]> {
  const [labels] = (await run([{ attributes: rows, name: 'aria-label' }])) as [(string | null)[]];
  return labels.map((label) => label ?? '');
}

/** The validation message of an input box (empty when none). */
export async function quickInputMessage(): Promise<string> {
  const [texts] = (await run([{ texts: message }])) as [string[]];
  return texts.join(' ').trim();
}

/** Replaces what the quick input holds with `text`. */
export async function replaceInput(text: string): Promise<void> {
  await run([{ press: 'Control+a' }, { press: 'Backspace' }, ...(text ? [{ type: text }] : [])]);
}

/** Clicks the quick input's Back button. */
export async function clickBack(): Promise<void> {
  await run([{ click: `${quickInput} .quick-input-left-action-bar .action-label` }]);
}

/** Waits until no quick input is shown. */
export async function waitForNoQuickInput(): Promise<void> {
  await waitFor('the quick input to close', async () => (await quickInputTitle()) === undefined);
}

/** An <img> of the page or of one of its frames (webviews), as the frameImages step reports it. */
export interface FrameImage { src: string; alt: string; className: string; complete: boolean; width: number; height: number }

/** The <img>s matching `selector` in every frame of the workbench, webviews included. */
export async function frameImages(selector = 'img'): Promise<FrameImage[]> {
  const [images] = (await run([{ frameImages: selector }])) as [FrameImage[]];
  return images;
}

export function assertIncludes(haystack: string[], needle: string, what: string): void {
  assert.ok(haystack.some((entry) => entry.includes(needle)), `${what}: "${needle}" not in ${JSON.stringify(haystack)}`);
}

/**
 * A selector for `selector` inside the page of the webview panel whose page contains it: the
 * workbench holds a webview's page in an iframe (`iframe.webview`) that loads it into an inner
 * one (`#active-frame`); Playwright enters frames with `internal:control=enter-frame`.
 */
export function inWebview(selector: string): string {
  return `iframe.webview >> internal:control=enter-frame >> iframe#active-frame >> internal:control=enter-frame >> ${selector}`;
}
