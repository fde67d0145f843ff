import type { Prng } from "./prng.ts";

/** What the device is doing. */
export type Phase = "idle" | "light" | "bursty" | "sustained";

/** How a device is used: how often it works hard. 0 = an office box, 1 = a render farm. */
export interface WorkloadProfile {
  intensity: number;
  /**
   * Of its sustained phases, the share that are games (a load that swings
   * second by second between about 30 and 100 %) and benchmarks in a loop
   * (runs of 30-120 s at full load with 2-10 s pauses between). Default 0.
   */
  gameShare?: number;
  benchmarkShare?: number;
}

/** How a sustained phase works. */
export type Style = "steady" | "game" | "benchmark";

/**
 * Work phases as a Markov chain with random durations: idle (1-8 % load),
 * light (10-35 %), bursty (bursts of 70-100 % for 5-40 s between lulls) and
 * sustained (85-100 % for minutes: steady work, a game whose load swings
 * second by second, or a benchmark in a loop with pauses of a few seconds).
 * Heavier devices spend more time in the busy phases. Load does not jump to a new level: it moves toward it with a
 * time constant, as thread pools spin up, a build's parallel phase follows
 * its single-threaded start and a game loads its scene (2-20 s into a
 * sustained phase, 1-4 s into a burst); finished work stops at once (1 s).
 * Call `step()` once per simulated second.
 */
export interface Workload {
  /** CPU load in [0, 1] for the next second. */
  step(): number;
  readonly phase: Phase;
  /** How the current sustained phase works ("steady" in the other phases). */
  readonly style: Style;
  /** Forces a phase now (the live demo starts devices working). */
  enter(phase: Phase, seconds?: number): void;
}

export function createWorkload(
  profile: WorkloadProfile,
  rng: Prng,
  start: Phase = "idle",
): Workload {
  let phase: Phase = start;
  let left = durationOf(start);
  let level = levelOf(start);
  let burstLeft = 0;
  let bursting = false;
  let current = level;
  let rampS = 1;
  let style: Style = "steady";
  let runLeft = 0;
  let pausing = false;
  let swing = level;

  function durationOf(p: Phase): number {
    switch (p) {
      case "idle":
        return rng.uniform(180, 1800) * (1.3 - profile.intensity);
      case "light":
        return rng.uniform(120, 900);
      case "bursty":
        return rng.uniform(120, 600);
      case "sustained":
        return rng.uniform(120, 600) + profile.intensity * rng.uniform(0, 900);
    }
  }

  function levelOf(p: Phase): number {
    switch (p) {
      case "idle":
        return rng.uniform(0.01, 0.08);
      case "light":
        return rng.uniform(0.1, 0.35);
      case "bursty":
        return rng.uniform(0.7, 1);
      case "sustained":
        return rng.uniform(0.85, 1);
    }
  }

  function nextPhase(): Phase {
    const busy = 0.25 + 0.5 * profile.intensity;
    if (phase !== "idle") return rng.chance(0.6) ? "idle" : "light";
    const r = rng.next();
    if (r < 1 - busy) return "light";
    return rng.chance(0.5) ? "bursty" : "sustained";
  }

  const enter = (p: Phase, seconds?: number) => {
    phase = p;
    left = seconds ?? durationOf(p);
    level = levelOf(p);
    burstLeft = 0;
    rampS = p === "sustained" ? rng.uniform(2, 20) : 1;
    style = "steady";
    if (p === "sustained") {
      const u = rng.next();
      const games = profile.gameShare ?? 0;
      if (u < games) style = "game";
      else if (u < games + (profile.benchmarkShare ?? 0)) style = "benchmark";
    }
    runLeft = rng.uniform(30, 120);
    pausing = false;
    swing = level;
  };

  return {
    step() {
      if (--left <= 0) enter(nextPhase());
      let load = level;
      if (phase === "bursty") {
        if (--burstLeft <= 0) {
          bursting = !bursting;
          burstLeft = bursting ? rng.uniform(5, 40) : rng.uniform(5, 60);
          rampS = bursting ? rng.uniform(1, 4) : 1;
        }
        load = bursting ? level : rng.uniform(0.1, 0.2);
      } else if (phase === "sustained" && style === "game") {
        // A game: scenes, loading and shader compiles swing the load within seconds.
        swing = Math.min(1, Math.max(0.3, swing + rng.normal(0, 0.2) + (0.7 - swing) * 0.3));
        load = swing;
      } else if (phase === "sustained" && style === "benchmark") {
        if (--runLeft <= 0) {
          pausing = !pausing;
          runLeft = pausing ? rng.uniform(2, 10) : rng.uniform(30, 120);
        }
        if (pausing) {
          // Between runs the work stops at once and restarts at once.
          current = rng.uniform(0.02, 0.05);
          return current;
        }
        if (current < 0.5) current = level;
      }
      // Rising load follows the work with a time constant; falling load drops at once.
      current = load > current ? current + (load - current) * (1 - Math.exp(-1 / rampS)) : load;
      return Math.min(1, Math.max(0, current + rng.normal(0, 0.03)));
    },
    get phase() {
      return phase;
    },
    get style() {
      return style;
    },
    enter,
  };
}
