// A small option parser for the CLI commands: `--name value`, `--name=value`, repeatable
// options, flags, and the remaining arguments as paths (`.` when none). Mistakes throw
// UsageError (exit 2).

import { parseIstioRelease, newestIstioRelease, type IstioRelease } from '../service/model/istioReleases';
import { UsageError } from './cliWorkspace';

export type OptionKind = 'value' | 'list' | 'flag';

export interface ParsedCommandLine {
  paths: string[];
  values: Map<string, string>;
  lists: Map<string, string[]>;
  flags: Set<string>;
}

export function parseCommandLine(args: readonly string[], spec: Readonly<Record<string, OptionKind>>): ParsedCommandLine {
  const parsed: ParsedCommandLine = { paths: [], values: new Map(), lists: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
      parsed.paths.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option ${name}`);
    if (kind === 'flag') {
      if (equals !== -1) throw new UsageError(`${name} takes no value`);
      parsed.flags.add(name);
      continue;
    }
    const value: string | undefined = equals === -1 ? args[++i] : arg.slice(equals + 1);
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    if (kind === 'value') parsed.values.set(name, value);
    else parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
  }
  if (parsed.paths.length === 0) parsed.paths.push('.');
  return parsed;
}

export function formatOption<F extends string>(parsed: ParsedCommandLine, formats: readonly F[]): F {
  const format = parsed.values.get('--format') ?? formats[0];
  if (!formats.includes(format as F)) throw new UsageError(`unknown format "${format}" (use ${formats.join(', ')})`);
  return format as F;
}

export function releaseOption(parsed: ParsedCommandLine): IstioRelease {
  const text = parsed.values.get('--istio-version');
  if (text === undefined) return newestIstioRelease;
  const release = parseIstioRelease(text);
  if (!release || release.major !== 1 || release.minor < 18) throw new UsageError(`--istio-version needs an Istio release 1.18 or newer, such as 1.27 (got "${text}")`);
  return release;
}

export function portOption(parsed: ParsedCommandLine, name = '--port'): number | undefined {
  const text = parsed.values.get(name);
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${name} needs a port number 1–65535`);
  return port;
}

/** `NAME=VALUE` pairs of a repeatable option (`--header x-user=jason`; `NAME:VALUE` too for headers). */
export function pairsOption(parsed: ParsedCommandLine, name: string, colon = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of parsed.lists.get(name) ?? []) {
    const equals = item.indexOf('=');
    const separator = colon && (equals === -1 || (item.indexOf(':') > 0 && item.indexOf(':') < equals)) ? item.indexOf(':') : equals;
    if (separator <= 0) throw new UsageError(`${name} needs NAME=VALUE (got "${item}")`);
    out[item.slice(0, separator).trim()] = item.slice(separator + 1).trim();
  }
  return out;
}

/** `a=b,c=d` → labels. */
export function labelsOption(parsed: ParsedCommandLine, name: string): Record<string, string> | undefined {
  const text = parsed.values.get(name);
  if (text === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const item of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const equals = item.indexOf('=');
    if (equals <= 0) throw new UsageError(`${name} needs labels as NAME=VALUE,NAME=VALUE (got "${item}")`);
    out[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return out;
}
