// Workspace strings (names, hosts, labels) put into Markdown (hovers, completion documentation):
// a name holding a backtick must not close the code span around it, and one holding `![](…)`,
// `[…](…)` or HTML must not become an image, a link or markup.

/** `text` as an inline code span that nothing inside can close: the fence is longer than any backtick run in it. */
export function markdownCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const fence = '`'.repeat(longestBacktickRun(flat) + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ` ${flat} ` : flat;
  return `${fence}${padded}${fence}`;
}

/**
 * `text` as plain Markdown text: the characters that open code, emphasis, links, images, HTML,
 * entities or tables are escaped (names such as `reviews.demo-1` are left as they are).
 */
export function markdownText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>!|~&]/g, (c) => `\\${c}`);
}

/** `code` as a fenced block that nothing inside can close. */
export function markdownFence(code: string, language = ''): string {
  const fence = '`'.repeat(Math.max(2, longestBacktickRun(code)) + 1);
  return `${fence}${language}\n${code}\n${fence}`;
}

/** The longest run of backticks in `text` (a loop, not a spread: a name may hold millions of runs). */
function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 96) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return longest;
}
