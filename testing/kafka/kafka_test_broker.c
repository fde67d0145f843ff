/*
 * kafka_test_broker: a Kafka-protocol test broker for the test suite, built on
 * librdkafka's mock cluster (rdkafka_mock.h). No Docker, no JVM: N brokers on
 * 127.0.0.1 with random free ports, memory only.
 *
 * Usage: kafka_test_broker [--brokers N] [--rebalance-delay-ms MS]
 *
 * The first stdout line is the bootstrap list ("127.0.0.1:p1,127.0.0.1:p2").
 * After that it reads one command per stdin line and answers each with one
 * stdout line, "ok" or "error <reason>", in order:
 *
 *   ping                       liveness check
 *   topic <name> <partitions>  create a topic (clients cannot: the mock has no
 *                              CreateTopics)
 *   down <broker|-1>           refuse connections and drop clients (-1: all)
 *   up <broker|-1>             accept connections again
 *   rtt <broker|-1> <ms>       delay every response of a broker
 *   errors <apikey> <err>...   the next requests of that API fail, one error
 *                              each; <err> is a Kafka error code (6) or a
 *                              librdkafka name (NOT_LEADER_FOR_PARTITION;
 *                              _TRANSPORT disconnects the client)
 *   clear <apikey>             drop the errors still queued for that API
 *
 * It exits when stdin closes, so a crashed test run leaves nothing behind.
 * librdkafka log lines go to stderr.
 *
 * Why librdkafka 2.15.1 (built from the source inside the npm tarball of
 * @confluentinc/kafka-javascript@1.10.1) and not Debian's librdkafka-dev 2.0.2:
 * the 2.0.2 mock reports controller id 0, a broker that does not exist, so
 * kafkajs's admin client and idempotent producer fail with "Broker 0 not
 * found". 2.15.1 has rd_kafka_mock_set_controller_id(). kafkajs 2.2.4 cannot
 * parse the LeaveGroup v2+ response of this mock, so that API is capped at v1
 * (kafkajs then uses v1, which it parses).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdkafka.h"
#include "rdkafka_mock.h"

#define MAX_BROKERS 16
#define MAX_PARTITIONS 1000
#define MAX_ERRORS 64
#define API_KEY_LEAVE_GROUP 13

/* Replies to stdin commands; a broken stdout means the parent is gone. */
static void reply(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        if (fflush(stdout) != 0)
                exit(0);
}

static int parse_int(const char *text, long min, long max, long *out) {
        char *end;
        long value;
        if (!text)
                return -1;
        errno = 0;
        value = strtol(text, &end, 10);
        if (errno || end == text || *end || value < min || value > max)
                return -1;
        *out = value;
        return 0;
}

/* A Kafka error code as a number ("6") or a librdkafka name
 * ("NOT_LEADER_FOR_PARTITION", "_TRANSPORT"). */
static int parse_error(const char *text, rd_kafka_resp_err_t *out) {
        const struct rd_kafka_err_desc *descs;
        size_t cnt, i;
        long code;

        if (parse_int(text, INT_MIN, INT_MAX, &code) == 0) {
                *out = (rd_kafka_resp_err_t)code;
                return 0;
        }
        rd_kafka_get_err_descs(&descs, &cnt);
        for (i = 0; i < cnt; i++) {
                if (descs[i].name && !strcasecmp(descs[i].name, text)) {
                        *out = descs[i].code;
                        return 0;
                }
        }
        return -1;
}

static void reply_err(rd_kafka_resp_err_t err) {
        if (err)
                reply("error %s: %s", rd_kafka_err2name(err),
                      rd_kafka_err2str(err));
        else
                reply("ok");
}

static void cmd_topic(rd_kafka_mock_cluster_t *mc, int replication,
                      char **args, int argc) {
        long partitions;
        if (argc != 2 || parse_int(args[1], 1, MAX_PARTITIONS, &partitions)) {
                reply("error usage: topic <name> <partitions 1..%d>",
                      MAX_PARTITIONS);
                return;
        }
        reply_err(rd_kafka_mock_topic_create(mc, args[0], (int)partitions,
                                             replication));
}

static void cmd_updown(rd_kafka_mock_cluster_t *mc, int up, char **args,
                       int argc) {
        long broker;
        if (argc != 1 || parse_int(args[0], -1, INT_MAX, &broker)) {
                reply("error usage: %s <broker id|-1>", up ? "up" : "down");
                return;
        }
        reply_err(up ? rd_kafka_mock_broker_set_up(mc, (int32_t)broker)
                     : rd_kafka_mock_broker_set_down(mc, (int32_t)broker));
}

static void cmd_rtt(rd_kafka_mock_cluster_t *mc, char **args, int argc) {
        long broker, ms;
        if (argc != 2 || parse_int(args[0], -1, INT_MAX, &broker) ||
            parse_int(args[1], 0, 3600000, &ms)) {
                reply("error usage: rtt <broker id|-1> <ms>");
                return;
        }
        reply_err(rd_kafka_mock_broker_set_rtt(mc, (int32_t)broker, (int)ms));
}

static void cmd_errors(rd_kafka_mock_cluster_t *mc, char **args, int argc) {
        rd_kafka_resp_err_t errors[MAX_ERRORS];
        long api_key;
        int i;
        if (argc < 2 || argc - 1 > MAX_ERRORS ||
            parse_int(args[0], 0, SHRT_MAX, &api_key)) {
                reply("error usage: errors <apikey> <err> [<err>...] (at most "
                      "%d)",
                      MAX_ERRORS);
                return;
        }
        for (i = 1; i < argc; i++) {
                if (parse_error(args[i], &errors[i - 1])) {
                        reply("error unknown error code '%s'", args[i]);
                        return;
                }
        }
        rd_kafka_mock_push_request_errors_array(mc, (int16_t)api_key,
                                                (size_t)(argc - 1), errors);
        reply("ok");
}

static void cmd_clear(rd_kafka_mock_cluster_t *mc, char **args, int argc) {
        long api_key;
        if (argc != 1 || parse_int(args[0], 0, SHRT_MAX, &api_key)) {
                reply("error usage: clear <apikey>");
                return;
        }
        rd_kafka_mock_clear_request_errors(mc, (int16_t)api_key);
        reply("ok");
}

/* Splits a line on blanks; returns the word count (at most max). */
static int split(char *line, char **words, int max) {
        int n = 0;
        char *save = NULL;
        char *word = strtok_r(line, " \t\r\n", &save);
        while (word && n < max) {
                words[n++] = word;
                word = strtok_r(NULL, " \t\r\n", &save);
        }
        return word ? max + 1 : n;
}

static void run_command(rd_kafka_mock_cluster_t *mc, int replication,
                        char *line) {
        char *words[MAX_ERRORS + 2];
        int n = split(line, words, MAX_ERRORS + 2);
        char **args = words + 1;
        int argc = n - 1;

        if (n == 0)
                reply("error empty command");
        else if (n > MAX_ERRORS + 2)
                reply("error too many words");
        else if (!strcmp(words[0], "ping"))
                reply("ok");
        else if (!strcmp(words[0], "topic"))
                cmd_topic(mc, replication, args, argc);
        else if (!strcmp(words[0], "down"))
                cmd_updown(mc, 0, args, argc);
        else if (!strcmp(words[0], "up"))
                cmd_updown(mc, 1, args, argc);
        else if (!strcmp(words[0], "rtt"))
                cmd_rtt(mc, args, argc);
        else if (!strcmp(words[0], "errors"))
                cmd_errors(mc, args, argc);
        else if (!strcmp(words[0], "clear"))
                cmd_clear(mc, args, argc);
        else
                reply("error unknown command '%s' (known: ping, topic, down, "
                      "up, rtt, errors, clear)",
                      words[0]);
}

static void usage_exit(const char *why) {
        fprintf(stderr,
                "kafka_test_broker: %s\n"
                "usage: kafka_test_broker [--brokers 1..%d] "
                "[--rebalance-delay-ms MS]\n",
                why, MAX_BROKERS);
        exit(2);
}

int main(int argc, char **argv) {
        long brokers = 1, rebalance_delay_ms = 0;
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc;
        char *line = NULL;
        size_t cap = 0;
        int i;

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--brokers") && i + 1 < argc) {
                        if (parse_int(argv[++i], 1, MAX_BROKERS, &brokers))
                                usage_exit("--brokers must be 1..16");
                } else if (!strcmp(argv[i], "--rebalance-delay-ms") &&
                           i + 1 < argc) {
                        if (parse_int(argv[++i], 0, 300000,
                                      &rebalance_delay_ms))
                                usage_exit("--rebalance-delay-ms must be "
                                           "0..300000");
                } else {
                        usage_exit("unknown argument");
                }
        }

        /* Exit quietly on a closed stdout instead of dying mid-write. */
        signal(SIGPIPE, SIG_IGN);

        /* The mock cluster needs a client handle for its thread and logging;
         * the handle itself never connects anywhere. */
        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "log_level", "4", errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "kafka_test_broker: %s\n", errstr);
                return 1;
        }
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "kafka_test_broker: %s\n", errstr);
                return 1;
        }
        mc = rd_kafka_mock_cluster_new(rk, (int)brokers);
        if (!mc) {
                fprintf(stderr, "kafka_test_broker: cannot start the mock "
                                "cluster\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        /* Broker 1 is the controller (the mock's default, 0, does not
         * exist); LeaveGroup capped at v1 for kafkajs; the group join delay
         * (3 s by default, like Kafka's group.initial.rebalance.delay.ms)
         * made configurable so tests do not wait for it. */
        rd_kafka_mock_set_controller_id(mc, 1);
        rd_kafka_mock_set_apiversion(mc, API_KEY_LEAVE_GROUP, 0, 1);
        rd_kafka_mock_group_initial_rebalance_delay_ms(
            mc, (int32_t)rebalance_delay_ms);

        reply("%s", rd_kafka_mock_cluster_bootstraps(mc));

        while (getline(&line, &cap, stdin) != -1)
                run_command(mc, brokers < 3 ? (int)brokers : 3, line);

        free(line);
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 0;
}
