// Quick fixes that rename a key: IM1002 (snake_case proto name → the camelCase name the API
// server knows) and IM1001 (unknown key → the closest known one). Both take the new name
// from `data.replacementKey`.

import { asMap, findPair, keyText } from '../../parse/yamlDocument';
import { quickFix, type FixTarget, type QuickFix } from './quickFix';
import { deletePairs, renameKey } from './yamlEdits';

export function renameKeyFix(target: FixTarget): QuickFix[] {
  const { pair, source, data } = target;
  const map = asMap(target.parent);
  const newKey = data.replacementKey;
  const oldKey = pair ? keyText(pair) : undefined;
  if (!pair || !map || !newKey || oldKey === undefined || newKey === oldKey) return [];
  // A snake_case name is certainly the camelCase field; an unknown key's suggestion is only the closest match.
  const preferred = target.diagnostic.code === 'IM1002';
  if (findPair(map, newKey)) {
    // Renaming would duplicate the key (invalid YAML). The API server already ignores the
    // unknown key, so removing it keeps what the cluster sees and leaves the real field.
    return quickFix(`Remove \`${oldKey}\` (\`${newKey}\` is set)`, preferred, (edits) => deletePairs(source, edits, map, [pair]));
  }
  return quickFix(`Rename \`${oldKey}\` to \`${newKey}\``, preferred, (edits) => renameKey(source, edits, pair, newKey));
}
