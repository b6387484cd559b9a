// Generates docs/rules.md from the rule table (server/src/service/checks/ruleTable.ts).
// Run: node --import tsx scripts/rulesDoc.ts   (a test fails when docs/rules.md is stale)

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRulesDoc } from '../server/src/service/checks/rulesDoc';

export { renderRulesDoc };
export const rulesDocPath = join(__dirname, '..', 'docs', 'rules.md');

if (require.main === module) {
  writeFileSync(rulesDocPath, renderRulesDoc());
  console.log(`wrote ${rulesDocPath}`);
}
