/**
 * CSV text as the old system exported it: `;`-separated, decimal comma, a
 * header of the old field names. Values are written as given (numbers with a
 * decimal comma, null as an empty cell).
 */
export function anOldCsv(rows: Record<string, number | string | null>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: number | string | null | undefined) =>
    v === null || v === undefined ? "" : typeof v === "number" ? String(v).replace(".", ",") : v;
  return [columns.join(";"), ...rows.map((r) => columns.map((c) => cell(r[c])).join(";"))].join(
    "\n",
  ) + "\n";
}

/** Old PC rows: a CPU warming by `step` °C a row from `from`, target 0 (stressed) at 90 °C and up. */
export function oldPcRows(count: number, from = 60, step = 1): Record<string, number | null>[] {
  return Array.from({ length: count }, (_, i) => {
    const temp = from + i * step;
    return {
      ClockCPUCoreOne: 3400.5,
      TemperatureCPUPackage: temp,
      LoadCPUTotal: 87.5,
      PowerCPUPackage: 45.25,
      TemperatureGPUCore: null,
      LoadGPUCore: null,
      NoTechnicalInterventionRequired: temp >= 90 ? 0 : 1,
    };
  });
}
