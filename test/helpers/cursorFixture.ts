// Cursor fixtures for completion and hover tests: an annotated multi-file fixture (see
// annotatedFixture.ts) where one file contains the cursor marker `$0`, and comment lines at
// the top of the fixture state the expectations:
//
//   # expect-includes: v1, canary          labels that must be offered (completion)
//   # expect-excludes: mirrorPercent       labels that must not be offered
//   # expect-text mirrorPercentage: mirrorPercentage:\n      value: ${1:10}
//                                          the text an item inserts (\n for new lines)
//   # expect-hover: Subset `v1`            text the hover must contain (one per line)
//   # expect-exactly: **subset** · `string`  the whole hover text (hover)
//   # expect-hover-excludes: **Load:**     text the hover must not contain
//   # expect-none                          no completion items / no hover at all
//   # settings: {"istioVersion": "1.27"}  settings for the language service (JSON)
//
// The marker is removed before the files are given to the language service.

import { IstioLanguageService } from '../../server/src/service/languageService';
import { parseFixture } from './annotatedFixture';
import type { Position } from '../../server/src/service/types';

export interface CursorFixture {
  service: IstioLanguageService;
  uri: string;
  position: Position;
  expectations: { key: string; value: string }[];
}

export function loadCursorFixture(text: string): CursorFixture {
  const expectations = [...text.matchAll(/^# (expect-[a-z]+)(?:(?: ([^:\n]+))?: (.*))?$/gm)].map((match) => ({
    key: match[2] ? `${match[1]} ${match[2]}` : match[1],
    value: match[3] ?? '',
  }));
  const { files } = parseFixture(text);
  const settings = /^# settings: (.*)$/m.exec(text);
  const service = new IstioLanguageService(settings ? JSON.parse(settings[1]) : {});
  let uri = '';
  let position: Position = { line: 0, character: 0 };
  for (const file of files) {
    const lines = file.text.split('\n');
    const line = lines.findIndex((candidate) => candidate.includes('$0'));
    if (line >= 0) {
      uri = file.uri;
      position = { line, character: lines[line].indexOf('$0') };
      service.setFile(file.uri, file.text.replace('$0', ''));
    } else {
      service.setFile(file.uri, file.text);
    }
  }
  if (!uri) throw new Error('fixture has no $0 cursor marker');
  return { service, uri, position, expectations };
}

export function listOf(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
