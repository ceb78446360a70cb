/** A sleep that ends early when `wake()` is called (by a NOTIFY, or by stop()). */
export class Wakeup {
  private pending: (() => void) | undefined;
  private woken = false;

  wake(): void {
    this.woken = true;
    this.pending?.();
  }

  async wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.pending = undefined;
        resolve();
      }
      this.pending = done;
    });
    this.woken = false;
  }
}
