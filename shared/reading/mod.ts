/**
 * The reading contract shared by producer, consumer, API and bot.
 * @module
 */
export * from "./reading_schema.ts";
export * from "./decode_reading.ts";
export * from "./invalid_reading_error.ts";
export * from "./legacy_reading.ts";
export * from "./throttled_flags.ts";
export * from "./confluent_framing.ts";
