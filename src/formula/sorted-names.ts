/**
 * A sorted list of unique names, kept sorted as names are added. Formulas
 * read a handful of names, so insertion into a small array beats collecting
 * a Set and sorting it at the end (which showed up in compile profiles).
 */
const EMPTY: readonly string[] = Object.freeze([]);

/** Names in code-unit order, without duplicates. */
export class SortedNames {
  private list: string[] | undefined;

  /** Adds `name` unless present. */
  add(name: string): void {
    const list = this.list;
    if (list === undefined) {
      this.list = [name];
      return;
    }
    for (let k = 0; k < list.length; k++) if (list[k] === name) return;
    // Insertion step by hand: Array.prototype.splice costs more than the whole loop.
    let i = list.length;
    list.push(name);
    while (i > 0 && (list[i - 1] as string) > name) {
      list[i] = list[i - 1] as string;
      i--;
    }
    list[i] = name;
  }

  /** The names in code-unit order. */
  get values(): readonly string[] {
    return this.list ?? EMPTY;
  }
}
