// The code lenses of a 2,000-mirror file (issue 15): every VirtualService of examples/basic-mirror
// copied 2,000 times into one file, with its DestinationRule, Deployments and Service, and the
// time `getCodeLenses` takes for it (a route lens and a Monitor lens per VirtualService). Prints
// figures, asserts nothing.
//
//   node --import tsx scripts/bench/monitorLenses.ts [--copies N] [--runs N]

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IstioLanguageService } from '../../server/src/service/languageService';

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const copies = argument('--copies', 2000);
const runs = argument('--runs', 5);
const example = join(__dirname, '..', '..', 'examples', 'basic-mirror');
const virtualService = readFileSync(join(example, 'virtualservice.yaml'), 'utf8');

const service = new IstioLanguageService();
for (const name of ['destinationrule', 'deployments', 'service']) service.setFile(`file:///bench/${name}.yaml`, readFileSync(join(example, `${name}.yaml`), 'utf8'));
const documents = Array.from({ length: copies }, (_, i) => virtualService.replace('name: httpbin\n', `name: httpbin-${i}\n`));
service.setFile('file:///bench/big.yaml', documents.join('---\n'));

const times: number[] = [];
let lenses = 0;
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  lenses = service.getCodeLenses('file:///bench/big.yaml').length;
  times.push(performance.now() - started);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`${copies} VirtualServices with a mirror: ${lenses} code lenses; ${runs} runs, first ${times[0]!.toFixed(0)} ms, median ${sorted[Math.floor(runs / 2)]!.toFixed(0)} ms, best ${sorted[0]!.toFixed(0)} ms`);
