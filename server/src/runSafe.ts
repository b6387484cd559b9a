// Error containment for LSP handlers: a failure while handling one document is logged and
// answered with a neutral result instead of crashing the server.

export function runSafe<T>(log: (message: string) => void, what: string, action: () => T, fallback: T): T {
  try {
    return action();
  } catch (error) {
    log(`error during ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}

export async function runSafeAsync<T>(log: (message: string) => void, what: string, action: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await action();
  } catch (error) {
    log(`error during ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}
