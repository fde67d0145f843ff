import type {
  BotCommand,
  Chat,
  InlineKeyboardMarkup,
  Message,
  PhotoSize,
  UserFromGetMe,
} from "grammy/types";

/**
 * What the fake Bot API server remembers and how it answers each method, as
 * Telegram does for what the project uses: messages per chat (so edits and
 * button presses refer to real messages), the webhook, the command menu.
 * Errors use Telegram's status codes and descriptions.
 */

/** A file sent in a multipart request (sendPhoto). */
export interface RecordedFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** An answer of the Bot API: `{ ok: true, result }` or `{ ok: false, error_code, description }`. */
export interface BotApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface WebhookState {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
}

const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;
const CALLBACK_DATA_MAX_BYTES = 64;
const COMMAND = /^[a-z0-9_]{1,32}$/;

export function ok(result: unknown): BotApiAnswer {
  return { status: 200, body: { ok: true, result } };
}

export function failure(
  status: number,
  description: string,
  parameters?: Record<string, unknown>,
): BotApiAnswer {
  return {
    status,
    body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
  };
}

const badRequest = (what: string) => failure(400, `Bad Request: ${what}`);

export interface FakeBotState {
  bot: UserFromGetMe;
  /** Messages the bot sent, by `chat:message_id`, as last edited. */
  messages: Map<string, Message>;
  webhook: WebhookState | null;
  commands: BotCommand[];
  /** The answer to every method but getUpdates, or null for an unknown method. */
  answer(method: string, params: Params, files: Record<string, RecordedFile>): BotApiAnswer | null;
}

export type Params = Record<string, unknown>;

export function createFakeBotState(deps: { botId: number; now: () => number }): FakeBotState {
  const bot: UserFromGetMe = {
    id: deps.botId,
    is_bot: true,
    first_name: "Stresswatch test bot",
    username: "stresswatch_test_bot",
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
  const messages = new Map<string, Message>();
  let lastMessageId = 0;
  const seconds = () => Math.floor(deps.now() / 1000);

  const state: FakeBotState = {
    bot,
    messages,
    webhook: null,
    commands: [],
    answer(method, params, files) {
      const handler = handlers[method.toLowerCase()];
      return handler ? handler(params, files) : null;
    },
  };

  function newMessage(chat: Chat, content: Partial<Message>): Message {
    const message = {
      message_id: ++lastMessageId,
      date: seconds(),
      chat,
      from: bot,
      ...content,
    } as Message;
    messages.set(`${chat.id}:${message.message_id}`, message);
    return message;
  }

  function edit(params: Params, change: (message: Message) => Message): BotApiAnswer {
    if (params.inline_message_id !== undefined) return ok(true);
    const chatId = chatIdOf(params.chat_id);
    if (chatId === null) return badRequest("chat not found");
    const key = `${chatId}:${params.message_id}`;
    const message = messages.get(key);
    if (!message) return badRequest("message to edit not found");
    const edited = change(message);
    if (
      JSON.stringify([edited.text, edited.caption, edited.reply_markup]) ===
        JSON.stringify([message.text, message.caption, message.reply_markup])
    ) {
      return badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    const stored = { ...edited, edit_date: seconds() };
    messages.set(key, stored);
    return ok(stored);
  }

  const handlers: Record<
    string,
    (params: Params, files: Record<string, RecordedFile>) => BotApiAnswer
  > = {
    getme: () => ok(bot),
    sendmessage(params) {
      const chat = chatOf(params.chat_id);
      if (!chat) return badRequest("chat not found");
      const text = typeof params.text === "string" ? params.text : "";
      if (text.trim() === "") return badRequest("message text is empty");
      if (text.length > TEXT_MAX) return badRequest("message is too long");
      const markup = replyMarkupOf(params.reply_markup);
      if (markup === "invalid") return badRequest("BUTTON_DATA_INVALID");
      return ok(newMessage(chat, { text, ...(markup ? { reply_markup: markup } : {}) }));
    },
    sendphoto(params, files) {
      const chat = chatOf(params.chat_id);
      if (!chat) return badRequest("chat not found");
      const caption = typeof params.caption === "string" ? params.caption : undefined;
      if (caption !== undefined && caption.length > CAPTION_MAX) {
        return badRequest("message caption is too long");
      }
      const markup = replyMarkupOf(params.reply_markup);
      if (markup === "invalid") return badRequest("BUTTON_DATA_INVALID");
      const file = files.photo;
      if (!file && typeof params.photo !== "string") {
        return badRequest("there is no photo in the request");
      }
      const size = file ? pngSize(file.bytes) : { width: 0, height: 0 };
      const photo: PhotoSize = {
        file_id: `photo-${lastMessageId + 1}`,
        file_unique_id: `unique-photo-${lastMessageId + 1}`,
        ...size,
        ...(file ? { file_size: file.bytes.length } : {}),
      };
      return ok(newMessage(chat, {
        photo: [photo],
        ...(caption !== undefined ? { caption } : {}),
        ...(markup ? { reply_markup: markup } : {}),
      }));
    },
    editmessagetext(params) {
      const text = typeof params.text === "string" ? params.text : "";
      if (text.trim() === "") return badRequest("message text is empty");
      if (text.length > TEXT_MAX) return badRequest("MESSAGE_TOO_LONG");
      const markup = replyMarkupOf(params.reply_markup);
      if (markup === "invalid") return badRequest("BUTTON_DATA_INVALID");
      // Like Telegram: an edit without reply_markup removes the inline keyboard.
      return edit(params, ({ reply_markup: _, ...message }) => ({
        ...message,
        text,
        ...(markup ? { reply_markup: markup } : {}),
      } as Message));
    },
    editmessagereplymarkup(params) {
      const markup = replyMarkupOf(params.reply_markup);
      if (markup === "invalid") return badRequest("BUTTON_DATA_INVALID");
      return edit(params, ({ reply_markup: _, ...message }) => ({
        ...message,
        ...(markup ? { reply_markup: markup } : {}),
      } as Message));
    },
    answercallbackquery(params) {
      if (typeof params.callback_query_id !== "string" || params.callback_query_id === "") {
        return badRequest("query is too old and response timeout expired or query ID is invalid");
      }
      return ok(true);
    },
    setmycommands(params) {
      const commands = params.commands;
      if (!Array.isArray(commands) || commands.length > 100) {
        return badRequest("BOT_COMMANDS_TOO_MUCH");
      }
      for (const command of commands as BotCommand[]) {
        if (typeof command?.command !== "string" || !COMMAND.test(command.command)) {
          return badRequest("BOT_COMMAND_INVALID");
        }
        const description = command.description;
        if (typeof description !== "string" || description.length < 1 || description.length > 256) {
          return badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      state.commands = commands as BotCommand[];
      return ok(true);
    },
    getmycommands: () => ok(state.commands),
    setwebhook(params) {
      const url = typeof params.url === "string" ? params.url : "";
      if (url === "") {
        state.webhook = null;
        return ok(true);
      }
      if (!url.startsWith("https://")) {
        return badRequest("bad webhook: An HTTPS URL must be provided for webhook");
      }
      state.webhook = {
        url,
        ...(typeof params.secret_token === "string" ? { secret_token: params.secret_token } : {}),
        ...(Array.isArray(params.allowed_updates)
          ? { allowed_updates: params.allowed_updates as string[] }
          : {}),
      };
      return ok(true);
    },
    deletewebhook() {
      state.webhook = null;
      return ok(true);
    },
    getwebhookinfo: () =>
      ok({
        url: state.webhook?.url ?? "",
        has_custom_certificate: false,
        pending_update_count: 0,
        ...(state.webhook?.allowed_updates
          ? { allowed_updates: state.webhook.allowed_updates }
          : {}),
      }),
  };
  return state;
}

/** A chat id as a number, or null when it is not one (`@channel` names are not supported). */
export function chatIdOf(value: unknown): number | null {
  const id = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof id === "number" && Number.isSafeInteger(id) && id !== 0 ? id : null;
}

function chatOf(value: unknown): Chat | null {
  const id = chatIdOf(value);
  if (id === null) return null;
  return id > 0
    ? { id, type: "private", first_name: "Owner" }
    : { id, type: "group", title: "Group" };
}

/** The inline keyboard of a request, undefined without one, "invalid" for callback data over 64 bytes. */
function replyMarkupOf(value: unknown): InlineKeyboardMarkup | undefined | "invalid" {
  if (typeof value !== "object" || value === null || !("inline_keyboard" in value)) {
    return undefined;
  }
  const markup = value as InlineKeyboardMarkup;
  const utf8 = new TextEncoder();
  for (const row of markup.inline_keyboard) {
    for (const button of row) {
      if (
        "callback_data" in button &&
        (button.callback_data === "" ||
          utf8.encode(button.callback_data).length > CALLBACK_DATA_MAX_BYTES)
      ) {
        return "invalid";
      }
    }
  }
  return markup;
}

/** Width and height from a PNG's IHDR chunk; 0 × 0 for anything else. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((byte, i) => bytes[i] !== byte)) {
    return { width: 0, height: 0 };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
