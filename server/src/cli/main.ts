// `istio-mirror`: the command-line face of the language service.
//   istio-mirror check [paths…] [--format text|json|sarif]
// Checks every YAML file under the given files and folders together (so cross-file references
// resolve), prints the findings, and exits 1 when any error was found, 0 otherwise, 2 on usage
// errors.

import { promises as fs } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IstioLanguageService, diagnosticSource } from '../service/languageService';
import { defaultExclude } from '../settings';
import { excludeMatcher, findYamlFiles, readTextFile } from '../workspaceFiles';
import { formatJson, formatSarif, formatText, type Finding } from './reportFormats';

const version = '0.1.0';

const usage = `usage: istio-mirror check [paths…] [--format text|json|sarif] [--namespace NS]
       istio-mirror --help | --version

Checks Istio VirtualService and DestinationRule YAML in the given files and folders
(folders are searched for *.yaml and *.yml, skipping node_modules). All files are
checked together, so a subset defined in one file is found from another.

  --format F      text (default): file:line:col severity code message
                  json: {"diagnostics": [...]}, sarif: SARIF 2.1.0
  --namespace NS  namespace assumed for resources without metadata.namespace (default: default)

Exit status: 0 no errors, 1 errors found, 2 usage error.`;

class UsageError extends Error {}

interface CheckOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  namespace?: string;
}

function parseCheckArguments(args: string[]): CheckOptions {
  const options: CheckOptions = { paths: [], format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const valueOf = (name: string): string => {
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      return value;
    };
    if (arg === '--format' || arg.startsWith('--format=')) {
      const format = valueOf('--format');
      if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`unknown format "${format}" (use text, json or sarif)`);
      options.format = format;
    } else if (arg === '--namespace' || arg.startsWith('--namespace=')) {
      options.namespace = valueOf('--namespace');
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  return options;
}

/** The files to check: each argument as given, folders expanded, each path listed once. */
async function collectFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const excluded = excludeMatcher(defaultExclude);
  for (const path of paths) {
    let stat;
    try {
      stat = await fs.stat(path);
    } catch {
      throw new UsageError(`no such file or folder: ${path}`);
    }
    const found = stat.isDirectory() ? (await findYamlFiles(path, excluded)).map((file) => join(path, relative(path, file))) : [path];
    for (const file of found) {
      if (!seen.has(file)) {
        seen.add(file);
        files.push(file);
      }
    }
  }
  return files;
}

export async function runCheck(args: string[], write: (text: string) => void): Promise<number> {
  const options = parseCheckArguments(args);
  const files = await collectFiles(options.paths);
  const service = new IstioLanguageService(options.namespace ? { defaultNamespace: options.namespace } : {});
  const uris = new Map<string, string>();
  for (const file of files) {
    const text = await readTextFile(file, Number.POSITIVE_INFINITY);
    if (text === undefined) continue;
    const uri = pathToFileURL(file).toString();
    uris.set(uri, file);
    service.setFile(uri, text);
  }
  const findings: Finding[] = [];
  for (const [uri, file] of uris) {
    for (const problem of service.getProblems(uri)) {
      const severity = service.severityOf(problem);
      if (!severity) continue;
      findings.push({ file, range: problem.range, severity, code: problem.code, message: problem.message, source: diagnosticSource });
    }
  }
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  if (options.format === 'json') write(formatJson(findings));
  else if (options.format === 'sarif') write(formatSarif(findings, version));
  else {
    if (findings.length > 0) write(formatText(findings));
    const warnings = findings.filter((finding) => finding.severity === 'warning').length;
    const notes = findings.length - errors - warnings;
    process.stderr.write(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${notes} note${notes === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const write = (text: string): void => void process.stdout.write(`${text}\n`);
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, write);
      case '--version':
      case 'version':
        write(`istio-mirror ${version}`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        write(usage);
        return 0;
      default:
        throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`istio-mirror: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`istio-mirror: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  },
);
