/** One Dockerfile instruction: `RUN deno install` -> `{ keyword: "RUN", args: "deno install" }`. */
export interface Instruction {
  keyword: string;
  args: string;
  /** 1-based line where it starts. */
  line: number;
}

/**
 * The instructions of a Dockerfile, in order: comments and blank lines
 * dropped, lines continued with a trailing `\` joined.
 */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | null = null;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trimEnd();
    if (pending === null && (line.trim() === "" || line.trimStart().startsWith("#"))) return;
    if (pending !== null && line.trimStart().startsWith("#")) return;
    const continued = line.endsWith("\\");
    const part = continued ? line.slice(0, -1) : line;
    pending = pending === null
      ? { text: part.trim(), line: index + 1 }
      : { text: `${pending.text} ${part.trim()}`, line: pending.line };
    if (!continued) {
      const [keyword, ...rest] = pending.text.split(/\s+/);
      instructions.push({
        keyword: keyword!.toUpperCase(),
        args: rest.join(" "),
        line: pending.line,
      });
      pending = null;
    }
  });
  return instructions;
}

/** The words of an exec-form (JSON array) instruction, or null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.trimStart().startsWith("[")) return null;
  const words = JSON.parse(args);
  if (!Array.isArray(words) || !words.every((w) => typeof w === "string")) {
    throw new SyntaxError(`Not an exec form: ${args}`);
  }
  return words;
}

/** `ENV A=1 B=2` (or the old `ENV A 1`) -> its variable names. */
export function envNames(args: string): string[] {
  if (!args.includes("=")) return [args.split(/\s+/)[0]!];
  return [...args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]!);
}

/**
 * Whether `.dockerignore` patterns leave `path` out of the build context
 * (Docker's rules: `*` within a name, `**` across folders, a pattern also
 * covers what is under a folder it matches, the last matching line wins,
 * `!` brings a path back).
 */
export function ignoredByDockerignore(patterns: readonly string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, "");
    if (globRegExp(pattern).test(path)) ignored = !negated;
  }
  return ignored;
}

function globRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      source += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}(?:/.*)?$`);
}
