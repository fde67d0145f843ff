/**
 * Parses JSON that may hold Python's bare `NaN`, `Infinity` and `-Infinity`
 * tokens (Python's json.dumps writes them by default), turning them into the
 * JavaScript numbers so that validation can name the field that holds one
 * instead of failing on the whole message. Tokens inside strings are left
 * alone. Anything else that is not JSON throws a SyntaxError.
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  const marker = `\u0000nonfinite:`;
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === "\\") out += text[++i] ?? "";
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
      continue;
    }
    const token = ["-Infinity", "Infinity", "NaN"].find((t) => text.startsWith(t, i));
    if (token) {
      out += JSON.stringify(marker + token);
      i += token.length - 1;
      continue;
    }
    out += char;
  }
  return JSON.parse(out, (_key, value) => {
    if (typeof value === "string" && value.startsWith(marker)) {
      return Number(value.slice(marker.length));
    }
    return value;
  });
}
