// Workspace strings in plain-text labels that an editor decorates: VS Code renders `$(name)` in
// a code lens title as an icon, and a title shows on one line. A name holding `$(alert)`, a line
// break or control characters must show as written, and a megabyte-long one must not make a
// megabyte-long lens.

/** The longest label written; longer ones end in `…`. */
export const maxLabelLength = 300;

const controls = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** `text` as a one-line label whose `$(…)` is literal (escaped as VS Code's escapeIcons does). */
export function plainLabel(text: string): string {
  const oneLine = text.length > maxLabelLength * 4 ? text.slice(0, maxLabelLength * 4) : text;
  const flat = oneLine.replace(controls, ' ');
  const short = flat.length > maxLabelLength || oneLine !== text ? `${flat.slice(0, maxLabelLength - 1)}…` : flat;
  return short.replace(/\$\(/g, '\\$(');
}
