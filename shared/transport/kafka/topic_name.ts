/**
 * Kafka's rule for topic names: 1-249 ASCII letters, digits, '.', '_' or '-',
 * and neither '.' nor '..' (Kafka refuses those two). The one copy of it, for
 * the producer's and the consumer's settings, the subscriber, the dead-letter
 * sink and the test broker.
 */
export const TOPIC_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,249}$/;

/** {@linkcode TOPIC_NAME} in words, for error messages: "must be ${TOPIC_NAME_RULE}". */
export const TOPIC_NAME_RULE = "1-249 letters, digits, '.', '_' or '-', and not '.' or '..'";
