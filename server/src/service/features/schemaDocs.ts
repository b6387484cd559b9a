// Field documentation rendered from the schemas (descriptions are ours, written for people
// who run Istio): type, allowed values and range, default, the Istio release that introduced
// the field, and deprecations. Shared by completion and hover.

import { expand, type SchemaNode } from '../schema/schemaNavigator';

/** A short type label: `object`, `list of string`, `Percent`, `one of: A, B`, `duration`. */
export function typeSummary(node: SchemaNode): string {
  const alternatives = expand(node);
  const definition = alternatives.map((alternative) => alternative.definition).find(Boolean);
  const enumValues = alternatives.map((alternative) => alternative.schema.enum).find(Boolean);
  if (enumValues) return `one of: ${enumValues.map(String).join(', ')}`;
  if (definition === 'Duration' || definition === 'DurationAllowZero') return 'duration (e.g. 5s, 250ms)';
  if (definition) return definition;
  const schema = alternatives[0]?.schema ?? node.schema;
  const type = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null').join(' | ') : schema.type;
  if (type === 'array') {
    const items = alternatives.map((alternative) => alternative.schema.items).find(Boolean);
    if (items) return `list of ${typeSummary({ schema: items, file: node.file })}`;
    return 'list';
  }
  if (type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object' && !schema.properties) return 'map';
  return type ?? 'value';
}

/** Markdown documentation of a field. */
export function schemaDocumentation(name: string, node: SchemaNode): string {
  const alternatives = expand(node);
  const schema = alternatives[0]?.schema ?? node.schema;
  const lines: string[] = [];
  const deprecated = alternatives.map((alternative) => alternative.schema['x-deprecated']).find(Boolean);
  lines.push(`**${name}** · \`${typeSummary(node)}\`${deprecated ? ' · **deprecated**' : ''}`);
  const description = node.schema.description ?? schema.description;
  if (description) lines.push('', description);
  const facts: string[] = [];
  const minimum = alternatives.map((alternative) => alternative.schema.minimum).find((value) => value !== undefined);
  const maximum = alternatives.map((alternative) => alternative.schema.maximum).find((value) => value !== undefined);
  if (minimum !== undefined && maximum !== undefined) facts.push(`Range: ${minimum}–${maximum}`);
  else if (minimum !== undefined) facts.push(`Minimum: ${minimum}`);
  else if (maximum !== undefined) facts.push(`Maximum: ${maximum}`);
  const defaultValue = node.schema.default ?? schema.default;
  if (defaultValue !== undefined) facts.push(`Default: \`${JSON.stringify(defaultValue)}\``);
  const since = node.schema['x-since'] ?? schema['x-since'];
  if (since) facts.push(`Since Istio ${since}`);
  if (deprecated) facts.push(`Deprecated: use \`${String(deprecated)}\``);
  if (facts.length > 0) lines.push('', facts.join(' · '));
  return lines.join('\n');
}
