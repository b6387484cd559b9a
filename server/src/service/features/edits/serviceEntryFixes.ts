// Quick fix for IM3003 (a route or mirror to an external host no ServiceEntry declares):
// append a ServiceEntry for the host to the VirtualService's file, in the VirtualService's
// namespace (left out when the VirtualService has none), with the port the destination uses
// (a mirror's copies are plain HTTP requests on that port; 80 when it names none).

import { writableApiVersion, type VirtualServiceModel } from '../../model/resourceModel';
import type { IndexedFile } from '../../workspace/workspaceIndex';
import type { DocumentContext } from '../documentAt';
import type { FeatureContext } from '../featureContext';
import type { QuickFix, FixTarget } from './quickFix';
import { map, mapBody, numberText, scalar, seq, text, type Snippet } from './snippets';
import { appendDocument, type EditBuilder } from './yamlEdits';
import { YamlSource } from './yamlSource';

export function serviceEntryFix(target: FixTarget): QuickFix[] {
  const { context, data, document } = target;
  const model = document.indexed.analysis.model;
  const file = context.index.getFile(document.uri);
  const host = data.host;
  if (!file || model?.kind !== 'VirtualService' || host === undefined) return [];
  const port = typeof data.replacementValue === 'number' ? data.replacementValue : 80;
  const protocol = port === 443 ? 'HTTPS' : 'HTTP';
  const edits = newServiceEntry(context, document, file, model, host, port, protocol);
  return [{ title: `Create ServiceEntry for ${host} (port ${port}, ${protocol})`, edits, preferred: true }];
}

/**
 * A MESH_EXTERNAL ServiceEntry for `host`, resolved by DNS, with one port, appended to the
 * VirtualService's file in its namespace (left out when the VirtualService has none). Also used by
 * the "Create DestinationRule for Host" command for a host outside the cluster.
 */
export function newServiceEntry(context: FeatureContext, document: DocumentContext, file: IndexedFile, model: VirtualServiceModel, host: string, port: number, protocol: 'HTTP' | 'HTTPS'): EditBuilder {
  const source = YamlSource.of(document, file);
  const name = host.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'external-host';
  const metadata: [string, Snippet][] = [['name', text(scalar(name))]];
  if (model.namespace) metadata.push(['namespace', text(scalar(model.namespace.value))]);
  const lines = mapBody([
    ['apiVersion', text(scalar(writableApiVersion(context.settings.defaultApiVersion)))],
    ['kind', text('ServiceEntry')],
    ['metadata', map(metadata, false)],
    ['spec', map([
      ['hosts', seq([text(scalar(host))], false)],
      ['location', text('MESH_EXTERNAL')],
      ['ports', seq([map([['number', text(numberText(port))], ['name', text(`${protocol.toLowerCase()}-${port}`)], ['protocol', text(protocol)]], false)], false)],
      ['resolution', text('DNS')],
    ], false)],
  ], 0, source.layout);
  return appendDocument(file, source, lines);
}
