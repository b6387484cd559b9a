// What the CLI writes to a terminal: YAML strings reach stdout and stderr inside findings,
// previews and paths, and a subset name holding ANSI escape sequences (`\x1b[1A\x1b[2K…`) could
// erase earlier lines and print a fake "All Istio resources OK". Every control character (C0
// except line feed and tab, DEL, C1 such as the one-byte CSI U+009B) and the bidirectional
// overrides ("Trojan Source") are written as `\uXXXX` instead. In JSON and SARIF output that is
// the same string (a JSON escape); in text it is visible and inert.

const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(unsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
