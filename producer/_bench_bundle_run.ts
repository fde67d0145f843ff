/** Bench helper: runs the producer bundle as a user would and measures the process from /proc. */
export interface BundleRun {
  /** CPU ms per sample over the run after the warm-up (user + sys, whole process). */
  cpuPerSampleMs: number;
  samples: number;
  rssMb: number;
  peakRssMb: number;
  exitCode: number;
  /** The last lines of stderr (the "stopped" line in send mode). */
  tail: string;
}

export async function runBundle(options: {
  bundle: string;
  args: string[];
  /** Flags for `deno run` itself, e.g. V8 flags. */
  denoFlags?: string[];
  env?: Record<string, string>;
  intervalMs: number;
  samples: number;
  warmupSamples: number;
}): Promise<BundleRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-config",
      ...(options.denoFlags ?? []),
      options.bundle,
      ...options.args,
    ],
    cwd: options.bundle.slice(0, options.bundle.lastIndexOf("/")),
    env: { NO_COLOR: "1", ...options.env },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const memory = (key: string) => {
    const text = Deno.readTextFileSync(`/proc/${child.pid}/status`);
    return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)![1]) / 1024;
  };
  const cpu = () => {
    const stat = Deno.readTextFileSync(`/proc/${child.pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime in ms (100 Hz ticks)
  };
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await wait(options.warmupSamples * options.intervalMs + 1000);
  const cpuStart = cpu();
  const measured = options.samples - options.warmupSamples;
  await wait(measured * options.intervalMs);
  const result = {
    cpuPerSampleMs: (cpu() - cpuStart) / measured,
    samples: options.samples,
    rssMb: memory("VmRSS"),
    peakRssMb: memory("VmHWM"),
  };
  child.kill("SIGTERM");
  const exit = await child.status;
  const lines = (await stderr).trim().split("\n");
  return { ...result, exitCode: exit.code, tail: lines.slice(-1).join("\n") };
}
