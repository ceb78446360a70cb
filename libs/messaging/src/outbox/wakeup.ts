/** A sleep that ends early when `wake()` is called (by a NOTIFY, or by stop()). */
export class Wakeup {
  private pending: (() => void) | undefined;
  private woken = false;

  wake(): void {
    this.woken = true;
    this.pending?.();
  }

  async wait(ms: number): Promise<void> {
    if (!this.woken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.pending?.(), ms);
        this.pending = () => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve();
        };
      });
    }
    this.woken = false;
  }
}
