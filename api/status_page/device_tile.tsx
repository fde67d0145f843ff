import { raw } from "hono/html";
import { renderChartSvg } from "../../shared/charts/mod.ts";
import { ago, clockTime, dateTime, percent } from "./_format.ts";
import type { DeviceTile as Tile } from "./status_snapshot.ts";

/** The chart in a tile, CSS pixels before the page scales it to the tile's width. */
export const TILE_CHART = { width: 400, height: 210 } as const;

/** How a tile is coloured, from the most to the least urgent. */
export type Tone = "now" | "soon" | "ok" | "offline" | "retired";

/** Stressed now (red), soon (amber) or fine (green) while online; grey when it says nothing. */
export function toneOf(tile: Tile): Tone {
  if (tile.state.state === "decommissioned") return "retired";
  if (tile.state.state === "offline") return "offline";
  const latest = tile.summary.latest;
  if (latest?.stressed_now) return "now";
  if (latest?.stressed_soon) return "soon";
  return "ok";
}

const TONE_LABEL: Record<Tone, string> = {
  now: "stressed now",
  soon: "stressed soon",
  ok: "ok",
  offline: "offline",
  retired: "decommissioned",
};

const METRIC_LABEL: Record<string, string> = {
  TemperatureCPUPackage: "CPU package",
  CPU_temp_celsius: "CPU",
};

interface DeviceTileProps {
  tile: Tile;
  /** The chart's period, ms. */
  from: number;
  now: number;
  timeZone: string;
}

/**
 * One device: name, profile, state in colour, when it was last seen, the
 * stress probability, the newest temperature against its hot limit and the
 * temperature chart of the last hour (SVG from shared/charts, the bot's
 * chart code). `data-key` lets the page's script swap tiles one by one.
 */
export function DeviceTile({ tile, from, now, timeZone }: DeviceTileProps) {
  const { summary, state, status, temperature } = tile;
  const tone = toneOf(tile);
  const lastSeen = Date.parse(summary.last_seen);
  const chart = renderChartSvg(tile.series, {
    title: `${METRIC_LABEL[temperature.metric] ?? temperature.metric} · last hour`,
    unit: "°C",
    timeZone,
    hotLimit: temperature.limit,
    alerts: tile.alertTimes,
    from,
    to: now,
    ...TILE_CHART,
  });
  const mutedUntil = state.muted && summary.muted_until ? Date.parse(summary.muted_until) : null;
  return (
    <article class={`tile tone-${tone}`} data-key={`device:${summary.device}`}>
      <header class="tile-head">
        <h2 class="device-name">{summary.device}</h2>
        <span class="profile">{summary.profile}</span>
        {summary.simulated ? <span class="badge">simulated</span> : null}
      </header>
      <p class="badges">
        <span class={`state state-${tone}`}>{TONE_LABEL[tone]}</span>
        {tone === "offline" || tone === "retired" ? null : <span class="badge">{state.state}</span>}
        {mutedUntil !== null
          ? (
            <span class="badge muted" title={dateTime(mutedUntil, timeZone)}>
              muted until {clockTime(mutedUntil, timeZone)}
            </span>
          )
          : null}
      </p>
      <dl class="facts">
        <div>
          <dt>last seen</dt>
          <dd>
            <time datetime={summary.last_seen} title={dateTime(lastSeen, timeZone)}>
              {ago(lastSeen, now)}
            </time>
          </dd>
        </div>
        <div>
          <dt>stress probability</dt>
          <dd class="probability">
            {summary.latest ? percent(summary.latest.probability) : "–"}
            {status ? <small>alerts at {percent(status.prediction.threshold)}</small> : null}
          </dd>
        </div>
        <div class="temperature">
          <dt>temperature</dt>
          <dd>
            <span class="value">
              {temperature.value === null ? "no sensor" : `${temperature.value.toFixed(1)} °C`}
            </span>
            <small>limit {temperature.limit} °C</small>
            {temperature.value === null ? null : (
              <meter
                min={Math.min(20, temperature.value)}
                max={temperature.limit}
                low={temperature.limit - 15}
                high={temperature.limit - 5}
                optimum={20}
                value={temperature.value}
                title={`${temperature.value.toFixed(1)} °C of the ${temperature.limit} °C limit`}
              />
            )}
          </dd>
        </div>
      </dl>
      <figure class="chart">{raw(chart)}</figure>
    </article>
  );
}
