// Workspace text quoted in messages: a name of a megabyte must not make a megabyte message (the
// editor shows it on hover, the CLI prints it, and each keystroke re-sends it).

/** Messages are cut to this many characters (a message says one fact and one fix). */
export const maxMessageLength = 2000;

/** A name or value as a message quotes it: longer than 80 characters, its first 64 and its length. */
export function shortened(text: string): string {
  return text.length > 80 ? `${text.slice(0, 64)}… (${text.length} characters)` : text;
}

/** A whole message, cut at `maxMessageLength`. */
export function boundedMessage(message: string): string {
  return message.length > maxMessageLength ? `${message.slice(0, maxMessageLength - 1)}…` : message;
}
