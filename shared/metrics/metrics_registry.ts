/**
 * Metrics in Prometheus's text format (version 0.0.4): counters, gauges and
 * histograms with labels, rendered for a scrape of `GET /metrics`.
 *
 * Our own, not `prom-client` (15.1.3): the consumer needs three metric types
 * and the text format, about 200 lines; prom-client brings Node's `cluster`,
 * `perf_hooks` and process collectors (more permissions for the consumer,
 * which runs with narrow ones), `@opentelemetry/api` and `tdigest`, and a
 * global default registry, where here each part gets the registry it writes
 * to (`createX(deps)`), so tests never share one.
 *
 * @example
 * ```ts
 * const metrics = createMetricsRegistry();
 * const stored = metrics.counter("stresswatch_readings_stored_total", "Readings stored.", {
 *   labels: ["topic"],
 * });
 * stored.inc(12, { topic: "pc1" });
 * metrics.render(); // "# HELP stresswatch_readings_stored_total Readings stored.\n# TYPE ..."
 * ```
 */

export type Labels = Readonly<Record<string, string>>;

export interface MetricOptions {
  /** Label names every sample of the metric carries, in this order. */
  labels?: readonly string[];
}

export interface HistogramOptions extends MetricOptions {
  /** Upper bounds of the buckets, increasing; `+Inf` is added. Default {@linkcode LATENCY_BUCKETS_S}. */
  buckets?: readonly number[];
}

/** A value that only goes up (a restart starts it at 0 again, which Prometheus expects). */
export interface Counter {
  inc(by?: number, labels?: Labels): void;
  /**
   * Sets the total from a source that already counts (a component's
   * `stats()`), read when the metrics are collected. Never lowers it.
   */
  setTotal(total: number, labels?: Labels): void;
}

/** A value that goes up and down. */
export interface Gauge {
  set(value: number, labels?: Labels): void;
  /** Forgets every label set, for gauges rebuilt on each collection (the models in use). */
  reset(): void;
}

/** Observations counted into buckets, with their sum: latencies in seconds. */
export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

export interface MetricsRegistry {
  counter(name: string, help: string, options?: MetricOptions): Counter;
  gauge(name: string, help: string, options?: MetricOptions): Gauge;
  histogram(name: string, help: string, options?: HistogramOptions): Histogram;
  /** Runs `collect` before each render: the place to read components' stats into metrics. */
  onCollect(collect: () => void): void;
  /** Every metric in the text format, after running the collectors. */
  render(): string;
}

/** The content type of {@linkcode MetricsRegistry.render}'s text. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Buckets for latencies in seconds: 1 ms to 10 s. */
export const LATENCY_BUCKETS_S = [
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
] as const;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  render(): string[];
}

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family>();
  const collectors: (() => void)[] = [];

  function add(family: Family): void {
    if (families.has(family.name)) {
      throw new RangeError(`Cannot add metric '${family.name}': it is already registered`);
    }
    families.set(family.name, family);
  }

  function checkNames(name: string, labelNames: readonly string[], reserved: string[] = []) {
    if (!METRIC_NAME.test(name)) {
      throw new RangeError(
        `Cannot add metric '${name}': a name is letters, digits, '_' and ':', not starting with a digit`,
      );
    }
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith("__") || reserved.includes(label)) {
        throw new RangeError(`Cannot add metric '${name}': '${label}' cannot be a label name`);
      }
    }
  }

  return {
    counter(name, help, options = {}) {
      const labelNames = options.labels ?? [];
      checkNames(name, labelNames);
      const values = new Map<string, number>();
      const keyOf = labelKey(name, labelNames);
      const bump = (key: string, by: number) => values.set(key, (values.get(key) ?? 0) + by);
      add({
        name,
        help,
        type: "counter",
        render: () => [...values].map(([key, value]) => `${name}${key} ${formatNumber(value)}`),
      });
      return {
        inc(by = 1, labels = {}) {
          if (!(by >= 0)) {
            throw new RangeError(`Cannot count '${name}': a counter only goes up, got ${by}`);
          }
          bump(keyOf(labels), by);
        },
        setTotal(total, labels = {}) {
          const key = keyOf(labels);
          if (!((values.get(key) ?? 0) <= total)) return;
          values.set(key, total);
        },
      };
    },

    gauge(name, help, options = {}) {
      const labelNames = options.labels ?? [];
      checkNames(name, labelNames);
      const values = new Map<string, number>();
      const keyOf = labelKey(name, labelNames);
      add({
        name,
        help,
        type: "gauge",
        render: () => [...values].map(([key, value]) => `${name}${key} ${formatNumber(value)}`),
      });
      return {
        set: (value, labels = {}) => void values.set(keyOf(labels), value),
        reset: () => values.clear(),
      };
    },

    histogram(name, help, options = {}) {
      const labelNames = options.labels ?? [];
      checkNames(name, labelNames, ["le"]);
      const buckets = [...(options.buckets ?? LATENCY_BUCKETS_S)];
      if (
        buckets.length === 0 ||
        buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!))
      ) {
        throw new RangeError(
          `Cannot add metric '${name}': 'buckets' must be finite numbers in increasing order`,
        );
      }
      const series = new Map<string, { labels: Labels; counts: number[]; sum: number }>();
      const keyOf = labelKey(name, labelNames);
      add({
        name,
        help,
        type: "histogram",
        render: () =>
          [...series.values()].flatMap(({ labels, counts, sum }) => {
            let cumulative = 0;
            const lines = buckets.map((bound, i) => {
              cumulative += counts[i]!;
              return `${name}_bucket${
                labelText(labels, labelNames, ["le", formatNumber(bound)])
              } ${cumulative}`;
            });
            const count = cumulative + counts[buckets.length]!;
            return [
              ...lines,
              `${name}_bucket${labelText(labels, labelNames, ["le", "+Inf"])} ${count}`,
              `${name}_sum${labelText(labels, labelNames)} ${formatNumber(sum)}`,
              `${name}_count${labelText(labels, labelNames)} ${count}`,
            ];
          }),
      });
      return {
        observe(value, labels = {}) {
          if (Number.isNaN(value)) {
            throw new RangeError(`Cannot observe '${name}': the value is NaN`);
          }
          const key = keyOf(labels);
          let entry = series.get(key);
          if (!entry) {
            entry = {
              labels: { ...labels },
              counts: new Array(buckets.length + 1).fill(0),
              sum: 0,
            };
            series.set(key, entry);
          }
          const at = buckets.findIndex((bound) => value <= bound);
          entry.counts[at === -1 ? buckets.length : at]!++;
          entry.sum += value;
        },
      };
    },

    onCollect(collect) {
      collectors.push(collect);
    },

    render() {
      for (const collect of collectors) collect();
      const lines: string[] = [];
      for (const family of families.values()) {
        lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
        lines.push(`# TYPE ${family.name} ${family.type}`);
        lines.push(...family.render());
      }
      return lines.length > 0 ? `${lines.join("\n")}\n` : "";
    },
  };
}

/** The `{a="x",b="y"}` part of a sample, checked against the metric's label names. */
function labelKey(name: string, labelNames: readonly string[]) {
  return (labels: Labels): string => {
    const given = Object.keys(labels);
    const missing = labelNames.filter((label) => !(label in labels));
    const unknown = given.filter((label) => !labelNames.includes(label));
    if (missing.length > 0 || unknown.length > 0) {
      throw new RangeError(
        `Cannot record '${name}': its labels are [${labelNames.join(", ")}], got [${
          given.join(", ")
        }]`,
      );
    }
    return labelText(labels, labelNames);
  };
}

function labelText(labels: Labels, names: readonly string[], extra?: [string, string]): string {
  const pairs = names.map((label) => `${label}="${escapeLabel(String(labels[label]))}"`);
  if (extra) pairs.push(`${extra[0]}="${extra[1]}"`);
  return pairs.length > 0 ? `{${pairs.join(",")}}` : "";
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
