/**
 * A stand-in for Confluent's Schema Registry (a Java service that cannot be
 * installed here): the two endpoints the producer calls, on 127.0.0.1.
 */
export function startRegistry(options: { key: string; secret: string; status?: number }) {
  const subjects = new Map<string, { id: number; schema: string }>();
  const requests: string[] = [];
  let nextId = 100001;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    requests.push(`${req.method} ${path}`);
    const reply = (status: number, body: unknown) =>
      Response.json(body, {
        status,
        headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
      });
    if (req.headers.get("authorization") !== `Basic ${btoa(`${options.key}:${options.secret}`)}`) {
      return reply(401, { error_code: 40101, message: "Unauthorized" });
    }
    if (options.status) return reply(options.status, { error_code: options.status, message: "no" });
    const body = await req.json();
    if (body.schemaType !== "JSON" || typeof body.schema !== "string") {
      return reply(422, { error_code: 42201, message: "Invalid schema" });
    }
    const lookup = /^\/subjects\/([^/]+)$/.exec(path);
    const register = /^\/subjects\/([^/]+)\/versions$/.exec(path);
    const subject = decodeURIComponent((lookup ?? register)?.[1] ?? "");
    const known = subjects.get(subject);
    if (lookup) {
      return known && known.schema === body.schema
        ? reply(200, { subject, id: known.id, version: 1, schema: known.schema })
        : reply(404, { error_code: 40401, message: `Subject '${subject}' not found.` });
    }
    if (register) {
      if (known && known.schema !== body.schema) {
        return reply(409, { error_code: 409, message: "Schema being registered is incompatible" });
      }
      const entry = known ?? { id: nextId++, schema: body.schema };
      subjects.set(subject, entry);
      return reply(200, { id: entry.id });
    }
    return reply(404, { error_code: 404, message: "HTTP 404 Not Found" });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    subjects,
    requests,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
