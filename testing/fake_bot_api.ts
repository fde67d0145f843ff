import type { CallbackQuery, Message, Update } from "grammy/types";
import {
  type BotApiAnswer,
  chatIdOf,
  createFakeBotState,
  failure,
  ok,
  type Params,
  type RecordedFile,
  type WebhookState,
} from "./_fake_bot_methods.ts";

export type { RecordedFile } from "./_fake_bot_methods.ts";

/**
 * A fake Telegram Bot API server for tests: a `Deno.serve` on a free port of
 * 127.0.0.1 that grammY talks to through its `apiRoot` option. It records
 * every request, answers the methods the project uses as Telegram does
 * (messages with increasing ids, edits of those messages, the webhook, the
 * command menu, long polling of updates the test feeds in), and can be told to
 * answer the next calls of a method with 429 `retry_after`, with 500, or not
 * at all until released.
 *
 * @example
 * ```ts
 * await using telegram = await startFakeBotApi();
 * const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
 * telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 3 });
 * await api.sendMessage(42, "hot").catch((e) => e); // GrammyError 429, parameters.retry_after 3
 * await api.sendMessage(42, "hot");                 // message_id 1
 * telegram.calls("sendMessage");                    // both requests, params parsed
 * ```
 */
export interface FakeBotApiOptions {
  /** The only token the server accepts (others get 401). Default `123456:TEST-token`. */
  token?: string;
  /** Message dates come from it, ms. Default `Date.now`. */
  now?: () => number;
}

/** One request as the server received it. */
export interface RecordedRequest {
  /** The method as called, e.g. `sendMessage`. */
  method: string;
  /**
   * The parameters: the JSON body, or the fields of a multipart body (values
   * that are JSON objects or arrays parsed, others kept as strings; a field
   * `attach://<id>` replaced by its file), or the query string.
   */
  params: Params;
  /** Files of a multipart request by parameter name (`photo`). */
  files: Record<string, RecordedFile>;
  /**
   * HTTP status answered; `hung` while held by a `hang` failure (a client that
   * gives up does not end the hold: {@linkcode FakeBotApi.releaseHung} or
   * `close()` does).
   */
  status: number | "hung";
  /** `performance.now()` when the request arrived, for latencies measured in this process. */
  receivedAt: number;
}

/** What the next calls of a method get instead of their answer. */
export type FakeFailure =
  | { kind: "too_many_requests"; retryAfter: number }
  | { kind: "server_error" }
  | { kind: "hang" };

/** An update as the test feeds it; the server gives it the next `update_id`. */
export type UpdateWithoutId = Omit<Update, "update_id">;

export interface FakeBotApi extends AsyncDisposable {
  /** Pass as grammY's `apiRoot`: `http://127.0.0.1:<port>`. */
  readonly apiRoot: string;
  /** The token the server accepts. */
  readonly token: string;
  /** Every request so far, in order of arrival. */
  readonly requests: readonly RecordedRequest[];
  /** The requests of one method (case as grammY sends it, e.g. `sendPhoto`). */
  calls(method: string): RecordedRequest[];
  /** The messages the bot sent and edited, as they stand now. */
  messages(chatId: number): Message[];
  /** The webhook set by `setWebhook`, or null. */
  readonly webhook: WebhookState | null;
  /** The command menu set by `setMyCommands`. */
  readonly commands: readonly { command: string; description: string }[];
  /** The next `times` calls of `method` (default 1) get `failure`. */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /** Answers every request held by a `hang` failure as usual; returns how many. */
  releaseHung(): number;
  /** Queues an update for `getUpdates`. */
  pushUpdate(update: UpdateWithoutId): Update;
  /** Queues a text message from a private chat's owner (a command gets its entity). */
  pushText(chatId: number, text: string): Update;
  /** Queues a press on a button of a message the bot sent to `chatId`. */
  pushCallback(chatId: number, messageId: number, data: string): Update;
  /** Resolves when the `count`-th request of `method` (default the first) has arrived. */
  waitForRequest(method: string, count?: number): Promise<RecordedRequest>;
  /** Answers what is held, stops the server and waits until it has stopped. */
  close(): Promise<void>;
}

const DEFAULT_TOKEN = "123456:TEST-token";
const TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
const MAX_LONG_POLL_S = 50;

export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = options.token ?? DEFAULT_TOKEN;
  if (!TOKEN.test(token)) {
    throw new RangeError(
      `Cannot start the fake Bot API: 'token' must look like '123456:ABC-def', got '${token}'`,
    );
  }
  const now = options.now ?? Date.now;
  const state = createFakeBotState({ botId: Number(token.split(":")[0]), now });
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, FakeFailure[]>();
  const hung = new Set<() => void>();
  const waiters = new Set<
    {
      method: string;
      count: number;
      resolve: (r: RecordedRequest) => void;
      reject: (e: Error) => void;
    }
  >();
  const updates: Update[] = [];
  let lastUpdateId = 0;
  let poll: { wake: (conflict: boolean) => void } | null = null;
  let closing = false;

  function record(request: RecordedRequest) {
    requests.push(request);
    for (const waiter of waiters) {
      const seen = requests.filter((r) => r.method === waiter.method).length;
      if (seen >= waiter.count && request.method === waiter.method) {
        waiters.delete(waiter);
        waiter.resolve(request);
      }
    }
  }

  async function handle(request: Request): Promise<Response> {
    const receivedAt = performance.now();
    const match = new URL(request.url).pathname.match(/^\/bot([^/]+)\/([A-Za-z]+)$/);
    if (!match) return reply(failure(404, "Not Found"));
    const [, givenToken, method] = match;
    if (givenToken !== token) return reply(failure(401, "Unauthorized"));
    let parsed: { params: Params; files: Record<string, RecordedFile> };
    try {
      parsed = await parseBody(request);
    } catch (error) {
      return reply(failure(400, `Bad Request: ${(error as Error).message}`));
    }
    const recorded: RecordedRequest = { method, ...parsed, status: "hung", receivedAt };
    record(recorded);
    const planned = failures.get(method)?.shift();
    if (planned?.kind === "too_many_requests") {
      return answer(
        recorded,
        failure(429, `Too Many Requests: retry after ${planned.retryAfter}`, {
          retry_after: planned.retryAfter,
        }),
      );
    }
    if (planned?.kind === "server_error") {
      return answer(recorded, failure(500, "Internal Server Error"));
    }
    if (planned?.kind === "hang" && await holdUntilReleased() === "closing") {
      return answer(recorded, failure(503, "Service Unavailable: the fake Bot API is closing"));
    }
    if (method.toLowerCase() === "getupdates") {
      return answer(recorded, await getUpdates(parsed.params));
    }
    let result: BotApiAnswer | null;
    try {
      result = state.answer(method, parsed.params, parsed.files);
    } catch (error) {
      // Parameters of the wrong shape (an inline_keyboard that is not a list, ...).
      result = failure(400, `Bad Request: ${(error as Error).message}`);
    }
    return answer(recorded, result ?? failure(404, "Not Found: method not found"));
  }

  function answer(recorded: RecordedRequest, result: BotApiAnswer): Response {
    recorded.status = result.status;
    return reply(result);
  }

  // Client aborts are not watched: Deno's request.signal also fires after every
  // answered request (and warns about it), and a held request ends at release or close.
  function holdUntilReleased(): Promise<"released" | "closing"> {
    if (closing) return Promise.resolve("closing");
    return new Promise((resolve) => {
      const release = () => {
        hung.delete(release);
        resolve(closing ? "closing" : "released");
      };
      hung.add(release);
    });
  }

  async function getUpdates(params: Params): Promise<BotApiAnswer> {
    if (state.webhook) {
      return failure(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = Number(params.offset ?? 0);
    if (offset > 0) {
      while (updates.length > 0 && updates[0].update_id < offset) updates.shift();
    }
    const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
    const timeoutS = Math.min(Math.max(Number(params.timeout ?? 0), 0), MAX_LONG_POLL_S);
    // Like Telegram, a new long poll ends the one still waiting.
    poll?.wake(true);
    if (updates.length === 0 && timeoutS > 0 && !closing) {
      const conflict = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), timeoutS * 1000);
        const self = { wake: (conflict: boolean) => done(conflict) };
        function done(conflict: boolean) {
          clearTimeout(timer);
          if (poll === self) poll = null;
          resolve(conflict);
        }
        poll = self;
      });
      if (conflict) {
        return failure(409, "Conflict: terminated by other getUpdates request");
      }
    }
    return ok(updates.slice(0, limit));
  }

  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: (addr) => listening.resolve(addr),
  }, handle);
  const apiRoot = `http://127.0.0.1:${(await listening.promise).port}`;

  function pushUpdate(update: UpdateWithoutId): Update {
    const full = { ...update, update_id: ++lastUpdateId } as Update;
    updates.push(full);
    poll?.wake(false);
    return full;
  }

  const owner = (chatId: number) => ({ id: chatId, is_bot: false as const, first_name: "Owner" });

  const api: FakeBotApi = {
    apiRoot,
    token,
    get requests() {
      return requests;
    },
    calls: (method) => requests.filter((r) => r.method === method),
    messages: (chatId) => [...state.messages.values()].filter((m) => m.chat.id === chatId),
    get webhook() {
      return state.webhook;
    },
    get commands() {
      return state.commands;
    },
    failNext(method, failure, times = 1) {
      if (!Number.isInteger(times) || times < 1) {
        throw new RangeError(
          `Cannot plan failures: 'times' must be a whole number >= 1, got ${times}`,
        );
      }
      const planned = failures.get(method) ?? [];
      planned.push(...Array.from({ length: times }, () => failure));
      failures.set(method, planned);
    },
    releaseHung() {
      const held = [...hung];
      for (const release of held) release();
      return held.length;
    },
    pushUpdate,
    pushText(chatId, text) {
      const command = text.match(/^\/\S+/);
      return pushUpdate({
        message: {
          message_id: 1_000_000 + lastUpdateId,
          date: Math.floor(now() / 1000),
          chat: { id: chatId, type: "private", first_name: "Owner" },
          from: owner(chatId),
          text,
          ...(command
            ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
            : {}),
        },
      } as UpdateWithoutId);
    },
    pushCallback(chatId, messageId, data) {
      const message = state.messages.get(`${chatIdOf(chatId)}:${messageId}`);
      if (!message) {
        throw new RangeError(
          `Cannot press a button: the bot sent no message ${messageId} to chat ${chatId}`,
        );
      }
      const query: CallbackQuery = {
        id: `callback-${lastUpdateId + 1}`,
        from: owner(chatId),
        chat_instance: `chat-instance-${chatId}`,
        message,
        data,
      };
      return pushUpdate({ callback_query: query });
    },
    waitForRequest(method, count = 1) {
      const arrived = requests.filter((r) => r.method === method);
      if (arrived.length >= count) return Promise.resolve(arrived[count - 1]);
      if (closing) return Promise.reject(new Error("The fake Bot API is closed"));
      return new Promise((resolve, reject) => waiters.add({ method, count, resolve, reject }));
    },
    async close() {
      if (closing) return await server.finished;
      closing = true;
      for (const release of [...hung]) release();
      poll?.wake(false);
      for (const waiter of waiters) {
        waiter.reject(
          new Error(`The fake Bot API closed before request ${waiter.count} of ${waiter.method}`),
        );
      }
      waiters.clear();
      await server.shutdown();
    },
    [Symbol.asyncDispose]() {
      return api.close();
    },
  };
  return api;
}

function reply(answer: BotApiAnswer): Response {
  return Response.json(answer.body, { status: answer.status });
}

async function parseBody(
  request: Request,
): Promise<{ params: Params; files: Record<string, RecordedFile> }> {
  const params: Params = Object.fromEntries(new URL(request.url).searchParams);
  const files: Record<string, RecordedFile> = {};
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await request.formData();
    const attached = new Map<string, RecordedFile>();
    for (const [name, value] of form) {
      if (typeof value === "string") {
        params[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
      } else {
        attached.set(name, {
          filename: value.name,
          contentType: value.type,
          bytes: new Uint8Array(await value.arrayBuffer()),
        });
      }
    }
    for (const [name, value] of Object.entries(params)) {
      const file = typeof value === "string" && value.startsWith("attach://")
        ? attached.get(value.slice("attach://".length))
        : undefined;
      if (file) {
        files[name] = file;
        params[name] = file;
      }
    }
  } else {
    const text = await request.text();
    if (text.trim() !== "") {
      const body = JSON.parse(text);
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new Error("the body must be a JSON object");
      }
      Object.assign(params, body);
    }
  }
  return { params, files };
}
