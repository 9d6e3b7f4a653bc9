/**
 * Everything the bench starts (clients, service processes) is registered here with how to stop it,
 * so a failure, a deadline or Ctrl-C still leaves nothing running but the stack.
 */
const CLOSE_TIMEOUT_MS = 30_000;

export class Resources {
  private readonly closers: Array<{ name: string; close: () => Promise<void> }> = [];

  add(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  /** A group closed as one step of this one, for a phase that stops its own things when done. */
  child(name: string): Resources {
    const child = new Resources();
    this.add(name, () => child.closeAll());
    return child;
  }

  /** Closes in reverse order of registration; one failing or hanging closer does not stop the rest. */
  async closeAll(): Promise<void> {
    for (let next = this.closers.pop(); next; next = this.closers.pop()) {
      const { name, close } = next;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not stop within ${CLOSE_TIMEOUT_MS} ms`)), CLOSE_TIMEOUT_MS);
      });
      try {
        await Promise.race([close(), timeout]);
      } catch (error) {
        console.error(`[bench] stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
