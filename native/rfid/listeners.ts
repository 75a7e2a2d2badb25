// A listener set whose emit never lets one faulty subscriber break the driver loop.
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }

  emit(value: T): void {
    for (const l of [...this.set]) {
      try {
        l(value);
      } catch {
        // A subscriber's bug must not stop reads from reaching the others.
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}
