// The input boxes and quick picks the commands ask with. Every prompt shows its default; Escape
// resolves to undefined, which every caller treats as "cancel the command". A prompt after the
// first of a command has a Back button (and Alt+Left in VS Code), resolving to `back`.

import * as vscode from 'vscode';
import { validatePercentage, type Validator } from './validation';

export interface Step {
  title: string;
  /** 1-based position and count, shown as "(2/9)" so the user knows how much is left. */
  step?: number;
  totalSteps?: number;
  /** Show a Back button; pressing it resolves the prompt to `back`. */
  back?: boolean;
}

/** What a prompt resolves to when its Back button is pressed. */
export const back = Symbol('back');
export type Back = typeof back;

const stepTitle = (step: Step): string => (step.step && step.totalSteps ? `${step.title} (${step.step}/${step.totalSteps})` : step.title);

function toInputBoxMessage(validate: Validator, value: string): vscode.InputBoxValidationMessage | undefined {
  const result = validate(value);
  if (!result) return undefined;
  return {
    message: result.message,
    severity: result.severity === 'warning' ? vscode.InputBoxValidationSeverity.Warning : vscode.InputBoxValidationSeverity.Error,
  };
}

/** Runs a quick input until `settle` is called; hiding it (Escape) resolves to undefined. */
function runInput<T>(input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, step: Step, wire: (settle: (value: T | Back | undefined) => void) => void): Promise<T | Back | undefined> {
  input.title = stepTitle(step);
  input.ignoreFocusOut = true;
  if (step.back) input.buttons = [vscode.QuickInputButtons.Back];
  return new Promise<T | Back | undefined>((resolve) => {
    let settled = false;
    const settle = (value: T | Back | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      input.hide();
    };
    input.onDidTriggerButton((button) => { if (button === vscode.QuickInputButtons.Back) settle(back); });
    input.onDidHide(() => settle(undefined));
    wire(settle);
    input.show();
  }).finally(() => input.dispose());
}

/**
 * Asks for one value. An empty answer means "the default" (so it is never an error); an answer
 * the validator rejects keeps the box open with the reason. Escape resolves to undefined.
 */
export function askText(step: Step, options: { prompt: string; defaultValue: string; validate: Validator; placeHolder?: string }): Promise<string | Back | undefined> {
  const box = vscode.window.createInputBox();
  box.prompt = options.defaultValue === '' ? options.prompt : `${options.prompt} (Enter keeps "${options.defaultValue}")`;
  box.value = options.defaultValue;
  box.valueSelection = [0, options.defaultValue.length];
  box.placeholder = options.placeHolder ?? options.defaultValue;
  const check = (value: string): vscode.InputBoxValidationMessage | undefined => (value.trim() === '' ? undefined : toInputBoxMessage(options.validate, value.trim()));
  return runInput<string>(box, step, (settle) => {
    box.onDidChangeValue((value) => { box.validationMessage = check(value); });
    box.onDidAccept(() => {
      const message = check(box.value);
      box.validationMessage = message;
      if (message && message.severity === vscode.InputBoxValidationSeverity.Error) return;
      settle(box.value.trim() === '' ? options.defaultValue : box.value.trim());
    });
  });
}

export interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

type Item<T> = Choice<T> | vscode.QuickPickItem;

/** A quick pick whose highlighted item is the default; Escape resolves to undefined. */
export function pickOne<T>(step: Step, items: Item<T>[], options: { placeholder: string; isDefault: (value: T) => boolean }): Promise<T | Back | undefined> {
  return runPick(step, items, options);
}

/**
 * The quick pick both pickers show: `items` with the default highlighted; Enter takes the
 * selected item when it has a value. `wire` adds what happens as the user types.
 */
function runPick<T>(step: Step, items: Item<T>[], options: { placeholder: string; isDefault: (value: T) => boolean }, wire?: (pick: vscode.QuickPick<Item<T>>) => void): Promise<T | Back | undefined> {
  const pick = vscode.window.createQuickPick<Item<T>>();
  pick.placeholder = options.placeholder;
  pick.items = items;
  const preferred = items.find((item): item is Choice<T> => 'value' in item && options.isDefault(item.value));
  if (preferred) pick.activeItems = [preferred];
  return runInput<T>(pick as vscode.QuickPick<vscode.QuickPickItem>, step, (settle) => {
    wire?.(pick);
    pick.onDidAccept(() => {
      const [selected] = pick.selectedItems;
      // Enter with nothing selectable (the filter matched nothing, or a refused typed row) does nothing: the pick stays open.
      if (selected && 'value' in selected) settle(selected.value);
    });
  });
}

const ladder: { label: string; values: number[] }[] = [
  { label: 'first test: a small share', values: [1, 2, 5] },
  { label: 'functional testing', values: [10, 20, 30] },
  { label: 'load testing', values: [50, 75, 100] },
];

/** The item at the top of the percentage pick for what the user typed (undefined: nothing typed). */
export function typedPercentage(value: string): { percentage?: number; reason?: string } | undefined {
  const typed = value.trim().replace(/\s*%$/, '');
  if (typed === '') return undefined;
  const problem = validatePercentage(typed);
  return problem ? { reason: problem.message } : { percentage: Number(typed) };
}

/** The row shown first for what was typed into a pick-or-type prompt: its value, or why it is refused. */
export interface TypedRow<T> {
  description: string;
  value?: T;
  /** Why the typed text is refused (no value). */
  reason?: string;
}

/**
 * A quick pick of `items` where any other answer can be typed: `typed` turns the text into the
 * row shown first (`alwaysShow`, labelled with what was typed, so the filter ranks it first and
 * Enter takes it). A typed text that is refused keeps the pick open with the reason. Escape
 * resolves to undefined.
 */
export function pickOrType<T>(step: Step, items: Item<T>[], options: { placeholder: string; isDefault: (value: T) => boolean; typed: (text: string) => TypedRow<T> | undefined }): Promise<T | Back | undefined> {
  return runPick(step, items, options, (pick) => {
    pick.onDidChangeValue((value) => {
      const row = options.typed(value.trim());
      if (!row) {
        pick.items = items;
        return;
      }
      const first: Item<T> = row.value !== undefined
        ? { label: value.trim(), description: row.description, alwaysShow: true, value: row.value }
        : { label: value.trim(), description: row.description, detail: `$(error) ${row.reason ?? 'Not accepted'}`, alwaysShow: true };
      pick.items = [first, ...items];
      pick.activeItems = [first];
    });
  });
}

/**
 * The usual mirroring ladder (1–5 % for a first test, 10–30 % functional, 50–100 % load); any
 * other share can be typed (`25`, `0.5`, `12.5 %`) and Enter takes it. What is not a share from
 * 0 to 100 is refused with the reason and the pick stays open. Escape resolves to undefined.
 */
export function pickPercentage(step: Step, defaultValue: number): Promise<number | Back | undefined> {
  const ladderItems: Item<number>[] = [];
  for (const rung of ladder) {
    ladderItems.push({ label: rung.label, kind: vscode.QuickPickItemKind.Separator });
    for (const value of rung.values) {
      ladderItems.push({ label: `${value} %`, value, description: value === defaultValue ? 'default' : '' });
    }
  }
  if (!ladder.some((rung) => rung.values.includes(defaultValue))) {
    ladderItems.unshift({ label: `${defaultValue} %`, value: defaultValue, description: 'default' });
  }
  return pickOrType<number>(step, ladderItems, {
    placeholder: `Share of requests copied to the mirror: pick one or type any number from 0 to 100 (Enter keeps ${defaultValue} %)`,
    isDefault: (value) => value === defaultValue,
    typed: (text) => {
      const typed = typedPercentage(text);
      if (!typed) return undefined;
      return typed.percentage !== undefined
        ? { description: `mirror ${typed.percentage} % of the requests`, value: typed.percentage }
        : { description: `not a share: ${typed.reason}`, reason: 'Type a number from 0 to 100, e.g. 25 or 0.5' };
    },
  });
}
