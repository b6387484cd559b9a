// The input boxes and quick picks the commands ask with. Every prompt shows its default and
// resolves to undefined on Escape; the caller decides what Escape means (the first step of a
// command cancels it, later steps keep the default).

import * as vscode from 'vscode';
import { validatePercentage, type Validator } from './validation';

export interface Step {
  title: string;
  /** 1-based position and count, shown as "(2/9)" so the user knows how much is left. */
  step?: number;
  totalSteps?: number;
}

const stepTitle = (step: Step): string => (step.step && step.totalSteps ? `${step.title} (${step.step}/${step.totalSteps})` : step.title);

function toInputBoxMessage(validate: Validator, value: string): vscode.InputBoxValidationMessage | undefined {
  const result = validate(value);
  if (!result) return undefined;
  return {
    message: result.message,
    severity: result.severity === 'warning' ? vscode.InputBoxValidationSeverity.Warning : vscode.InputBoxValidationSeverity.Error,
  };
}

/**
 * Asks for one value. An empty answer means "the default" (so it is never an error); Escape
 * resolves to undefined.
 */
export async function askText(step: Step, options: { prompt: string; defaultValue: string; validate: Validator; placeHolder?: string }): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({
    title: stepTitle(step),
    prompt: options.defaultValue === '' ? options.prompt : `${options.prompt} (Enter keeps "${options.defaultValue}")`,
    value: options.defaultValue,
    valueSelection: [0, options.defaultValue.length],
    placeHolder: options.placeHolder ?? options.defaultValue,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? undefined : toInputBoxMessage(options.validate, value.trim())),
  });
  if (answer === undefined) return undefined;
  return answer.trim() === '' ? options.defaultValue : answer.trim();
}

export interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/** A quick pick whose highlighted item is the default; Escape resolves to undefined. */
export async function pickOne<T>(step: Step, items: (Choice<T> | vscode.QuickPickItem)[], options: { placeholder: string; isDefault: (value: T) => boolean }): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<Choice<T> | vscode.QuickPickItem>();
  pick.title = stepTitle(step);
  pick.placeholder = options.placeholder;
  pick.items = items;
  pick.ignoreFocusOut = true;
  const preferred = items.find((item): item is Choice<T> => 'value' in item && options.isDefault(item.value));
  if (preferred) pick.activeItems = [preferred];
  try {
    return await new Promise<T | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const [selected] = pick.selectedItems;
        resolve(selected && 'value' in selected ? selected.value : undefined);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

const ladder: { label: string; values: number[] }[] = [
  { label: 'first test: a small share', values: [1, 2, 5] },
  { label: 'functional testing', values: [10, 20, 30] },
  { label: 'load testing', values: [50, 75, 100] },
];

/**
 * The usual mirroring ladder (1–5 % for a first test, 10–30 % functional, 50–100 % load) plus
 * "custom…". Escape, on the list or on the custom box, resolves to undefined.
 */
export async function pickPercentage(step: Step, defaultValue: number): Promise<number | undefined> {
  const custom = Number.NaN;
  const items: (Choice<number> | vscode.QuickPickItem)[] = [];
  for (const rung of ladder) {
    items.push({ label: rung.label, kind: vscode.QuickPickItemKind.Separator });
    for (const value of rung.values) {
      items.push({ label: `${value} %`, value, description: value === defaultValue ? 'default' : '' });
    }
  }
  if (!ladder.some((rung) => rung.values.includes(defaultValue))) {
    items.unshift({ label: `${defaultValue} %`, value: defaultValue, description: 'default' });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: 'custom…', value: custom, description: 'any share from 0 to 100, fractions allowed' });
  const picked = await pickOne(step, items, { placeholder: `Share of requests copied to the mirror (Enter keeps ${defaultValue} %)`, isDefault: (value) => value === defaultValue });
  if (picked === undefined || !Number.isNaN(picked)) return picked;
  const typed = await askText(step, { prompt: 'Mirror percentage, 0–100', defaultValue: String(defaultValue), validate: validatePercentage });
  return typed === undefined ? undefined : Number(typed);
}
