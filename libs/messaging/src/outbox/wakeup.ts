/** A sleep that ends early when `wake()` is called (by a NOTIFY, or by stop()); wakes every sleeper. */
export class Wakeup {
  private readonly sleepers = new Set<() => void>();
  private woken = false;

  wake(): void {
    if (this.sleepers.size === 0) this.woken = true;
    for (const sleeper of [...this.sleepers]) sleeper();
  }

  async wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
