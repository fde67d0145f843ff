/** One thing wrong with a reading: the field it is about and what is wrong. */
export interface ReadingProblem {
  /** Dotted path of the field, `""` for the reading as a whole. */
  field: string;
  message: string;
}

/**
 * Thrown when bytes or a value are not a valid reading. The message names
 * every field that is wrong; `problems` holds them one by one.
 */
export class InvalidReadingError extends Error {
  readonly problems: readonly ReadingProblem[];

  constructor(problems: readonly ReadingProblem[]) {
    super(
      `Invalid reading: ${
        problems.map((p) => (p.field ? `${p.field} ${p.message}` : p.message)).join("; ")
      }`,
    );
    this.name = "InvalidReadingError";
    this.problems = problems;
  }
}
