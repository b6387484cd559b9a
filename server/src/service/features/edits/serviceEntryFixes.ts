// Quick fix for IM3003 (a route or mirror to an external host no ServiceEntry declares):
// append a ServiceEntry for the host to the VirtualService's file, in the VirtualService's
// namespace (left out when the VirtualService has none), with the port the destination uses
// (a mirror's copies are plain HTTP requests on that port; 80 when it names none).

import { documentContext } from '../documentAt';
import type { QuickFix, FixTarget } from './quickFix';
import { map, mapBody, numberText, scalar, seq, text, type Snippet } from './snippets';
import { EditBuilder } from './yamlEdits';
import { YamlSource } from './yamlSource';

export function serviceEntryFix(target: FixTarget): QuickFix[] {
  const { context, data, document } = target;
  const model = document.indexed.analysis.model;
  const file = context.index.getFile(document.uri);
  const host = data.host;
  if (!file || model?.kind !== 'VirtualService' || host === undefined) return [];
  const port = typeof data.replacementValue === 'number' ? data.replacementValue : 80;
  const protocol = port === 443 ? 'HTTPS' : 'HTTP';
  const source = YamlSource.of(document, file);
  const name = host.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'external-host';
  const metadata: [string, Snippet][] = [['name', text(scalar(name))]];
  if (model.namespace) metadata.push(['namespace', text(scalar(model.namespace.value))]);
  const lines = mapBody([
    ['apiVersion', text(scalar(context.settings.defaultApiVersion))],
    ['kind', text('ServiceEntry')],
    ['metadata', map(metadata, false)],
    ['spec', map([
      ['hosts', seq([text(scalar(host))], false)],
      ['location', text('MESH_EXTERNAL')],
      ['ports', seq([map([['number', text(numberText(port))], ['name', text(`${protocol.toLowerCase()}-${port}`)], ['protocol', text(protocol)]], false)], false)],
      ['resolution', text('DNS')],
    ], false)],
  ], 0, source.layout);
  const last = YamlSource.of(documentContext(file, file.documents.length - 1));
  const end = last.text.length;
  const separator = end === 0 || last.text.endsWith('\n') ? '' : source.eol;
  const edits = new EditBuilder();
  edits.insert(last, end, `${separator}---${source.eol}${lines.join(source.eol)}${source.eol}`);
  return [{ title: `Create ServiceEntry for ${host} (port ${port}, ${protocol})`, edits, preferred: true }];
}
