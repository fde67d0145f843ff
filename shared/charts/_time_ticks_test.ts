import assert from "node:assert/strict";
import { timeTicks } from "./_time_ticks.ts";

const HOUR = 3_600_000;
const ticks = (from: string, to: string, timeZone: string, maxTicks = 8) =>
  timeTicks(Date.parse(from), Date.parse(to), { timeZone, maxTicks, locale: "en-GB" });
const utc = (time: number) => new Date(time).toISOString().slice(11, 16);

Deno.test("timeTicks() labels the same instants in the owner's time zone", async (t) => {
  const [from, to] = ["2024-03-10T12:00:00Z", "2024-03-10T18:00:00Z"];
  await t.step("UTC", () => {
    const got = ticks(from, to, "UTC");
    assert.deepEqual(got.map((tick) => tick.label), [
      "12:00",
      "13:00",
      "14:00",
      "15:00",
      "16:00",
      "17:00",
      "18:00",
    ]);
    assert.deepEqual(got.map((tick) => utc(tick.time)), got.map((tick) => tick.label));
  });
  await t.step("Europe/Berlin (UTC+1 in March)", () => {
    const got = ticks(from, to, "Europe/Berlin");
    assert.deepEqual(got.map((tick) => tick.label), [
      "13:00",
      "14:00",
      "15:00",
      "16:00",
      "17:00",
      "18:00",
      "19:00",
    ]);
    assert.equal(got[0].time, Date.parse("2024-03-10T12:00:00Z"));
  });
  await t.step("Asia/Kolkata (UTC+5:30): ticks on its own full hours, at :30 UTC", () => {
    const got = ticks(from, to, "Asia/Kolkata");
    assert.deepEqual(got.map((tick) => tick.label), [
      "18:00",
      "19:00",
      "20:00",
      "21:00",
      "22:00",
      "23:00",
    ]);
    assert.deepEqual(got.map((tick) => utc(tick.time)), [
      "12:30",
      "13:30",
      "14:30",
      "15:30",
      "16:30",
      "17:30",
    ]);
  });
  await t.step("America/New_York (UTC-4 after its DST start on 10 March)", () => {
    assert.equal(ticks(from, to, "America/New_York")[0].label, "08:00");
  });
});

Deno.test("timeTicks() skips the hour a spring DST change removes and ticks the doubled autumn hour once", async (t) => {
  await t.step("Europe/Berlin, 31 March 2024: 02:00 does not exist", () => {
    const got = ticks("2024-03-31T00:00:00Z", "2024-03-31T04:00:00Z", "Europe/Berlin", 5);
    assert.deepEqual(got.map((tick) => tick.label), ["01:00", "03:00", "04:00", "05:00", "06:00"]);
    assert.deepEqual(got.map((tick) => utc(tick.time)), [
      "00:00",
      "01:00",
      "02:00",
      "03:00",
      "04:00",
    ]);
  });
  await t.step("Europe/Berlin, 27 October 2024: 02:00 happens twice", () => {
    const got = ticks("2024-10-27T00:00:00Z", "2024-10-27T04:00:00Z", "Europe/Berlin", 5);
    assert.deepEqual(got.map((tick) => tick.label), ["02:00", "03:00", "04:00", "05:00"]);
    for (let i = 1; i < got.length; i++) assert.ok(got[i].time > got[i - 1].time);
  });
});

Deno.test("timeTicks() puts the date under the first tick and where the local day changes", () => {
  const got = ticks("2024-03-10T18:00:00Z", "2024-03-11T06:00:00Z", "Europe/Berlin", 8);
  const dated = got.filter((tick) => tick.date).map((tick) => [tick.label, tick.date]);
  assert.deepEqual(dated, [["20:00", "10 Mar"], ["00:00", "11 Mar"]]);
  assert.equal(got.find((tick) => tick.date === "11 Mar")?.time, Date.parse("2024-03-10T23:00Z"));
});

Deno.test("timeTicks() picks the step by the room: minutes for an hour, days for a week, Mondays for months", async (t) => {
  await t.step("an hour, 8 ticks at most: every 10 minutes", () => {
    const got = ticks("2024-03-10T12:00:00Z", "2024-03-10T13:00:00Z", "UTC");
    assert.deepEqual(got.map((tick) => tick.label), [
      "12:00",
      "12:10",
      "12:20",
      "12:30",
      "12:40",
      "12:50",
      "13:00",
    ]);
  });
  await t.step("a day, 8 ticks at most: every 3 hours", () => {
    const got = ticks("2024-03-10T00:00:00Z", "2024-03-11T00:00:00Z", "UTC");
    assert.deepEqual(got.map((tick) => tick.label), [
      "00:00",
      "03:00",
      "06:00",
      "09:00",
      "12:00",
      "15:00",
      "18:00",
      "21:00",
      "00:00",
    ]);
    assert.ok(got.every((tick) => (tick.time - got[0].time) % (3 * HOUR) === 0));
  });
  await t.step("a week: local midnights, labelled with the date", () => {
    const got = ticks("2024-03-04T12:00:00Z", "2024-03-11T12:00:00Z", "Europe/Berlin");
    assert.deepEqual(got.map((tick) => tick.label), [
      "5 Mar",
      "6 Mar",
      "7 Mar",
      "8 Mar",
      "9 Mar",
      "10 Mar",
      "11 Mar",
    ]);
    assert.equal(got[0].time, Date.parse("2024-03-04T23:00:00Z"));
  });
  await t.step("two months: Mondays", () => {
    const got = ticks("2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", "UTC");
    assert.ok(got.length >= 2 && got.length <= 8, `${got.length} ticks`);
    assert.ok(got.every((tick) => new Date(tick.time).getUTCDay() === 1), "all Mondays");
  });
});

Deno.test("timeTicks() gives nothing for an empty or reversed range", () => {
  assert.deepEqual(ticks("2024-03-10T12:00:00Z", "2024-03-10T12:00:00Z", "UTC"), []);
  assert.deepEqual(ticks("2024-03-10T13:00:00Z", "2024-03-10T12:00:00Z", "UTC"), []);
});
