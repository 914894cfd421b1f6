/**
 * @module Differential tests of date/time input and output: ISO and free-form inputs, BC dates,
 * leap days, 24:00:00, infinities, time zones (named zones across DST transitions, fixed and
 * POSIX offsets), intervals in every input form, checked against PostgreSQL under the same TimeZone.
 */
import { defaultEvalContext, inputText, Oid, outputText } from "../../../db/types/mod.ts";
import { Diff, lit, Oracle, ours } from "./oracle.ts";

const dates = [
  "2020-01-02",
  "2020-02-29",
  "2019-02-29",
  "2020-13-01",
  "2020-00-10",
  "2020-01-32",
  "0001-01-01",
  "0000-01-01",
  "0001-01-01 BC",
  "4713-01-01 BC",
  "4714-11-24 BC",
  "4714-11-23 BC",
  "5874897-12-31",
  "5874898-01-01",
  "Jan 2 2020",
  "January 2, 2020",
  "2 Jan 2020",
  "1/2/2020",
  "12/31/1999",
  "13/1/2020",
  "2020/01/02",
  "20200102",
  "epoch",
  "infinity",
  "-infinity",
  "+infinity",
  "allballs",
  "2020-01-02 03:04:05",
  "2020-01-02T03:04:05Z",
  "Thu Jan 02 2020",
  "abc",
  "",
  "2020-1-2",
  "99-01-02",
  "1/2/99",
  "Jan-02-2020",
  "02-Jan-2020",
  "2020-Jan-02",
  "2020.01.02",
  "J2451545",
  "2020-02-30",
  "1999-12-31 BC",
  "10000-01-01",
  "2020-06-15 AD",
];
const timestamps = [
  "2020-01-02 03:04:05",
  "2020-01-02 03:04:05.123456",
  "2020-01-02 03:04:05.1234567",
  "2020-01-02 03:04:05.5",
  "2020-01-02T03:04:05",
  "2020-01-02T03:04:05Z",
  "2020-01-02 03:04:05+02",
  "2020-01-02 03:04:05-08:00",
  "2020-01-02 03:04:05.123456+05:30",
  "2020-01-02 24:00:00",
  "2020-01-02 24:00:01",
  "2020-01-02 23:59:60",
  "2020-01-02 25:00",
  "2020-01-02 12:60",
  "2020-01-02 03:04",
  "2020-01-02 3:04 PM",
  "2020-01-02 12:00 AM",
  "2020-01-02 12:30 pm",
  "2020-01-02 13:00 PM",
  "epoch",
  "infinity",
  "-infinity",
  "Jan 2 2020 10:00",
  "2020-01-02 America/New_York",
  "2020-01-02 03:04:05 America/New_York",
  "2020-07-02 03:04:05 America/New_York",
  "2020-01-02 03:04:05 PST",
  "2020-01-02 03:04:05 UTC",
  "2020-01-02 03:04:05 Europe/Berlin",
  "2020-01-02 03:04:05 Mars/Olympus",
  "2020-03-08 02:30:00 America/New_York",
  "2020-11-01 01:30:00 America/New_York",
  "0044-03-15 12:00 BC",
  "294276-12-31 23:59:59.999999",
  "294277-01-01 00:00:00",
  "4714-11-24 00:00:00 BC",
  "4714-11-23 23:59:59 BC",
  "2020-01-02 03:04:05 +1",
  "2020-01-02 03:04:05+0530",
  "2020-01-02 03:04:05 -16",
  "20200102 030405",
  "20200102T030405",
  "2020-01-02 030405",
  "1999-12-31 23:59:59.9999995",
  "12:00",
  "2020-01-02 03:04:05 z",
  "2020-01-02T03:04:05.000+00:00",
  "Thu, 02 Jan 2020 03:04:05 GMT",
];
const times = [
  "03:04:05",
  "03:04",
  "24:00:00",
  "24:00:01",
  "23:59:59.999999",
  "23:59:59.9999999",
  "12:00 PM",
  "12:00 AM",
  "allballs",
  "03:04:05+02",
  "2020-01-02 03:04:05",
  "abc",
  "25:00",
  "030405",
  "0304",
  "03:04:05.1",
  "T03:04:05",
  "3:4:5",
  "03:60",
  "00:00:60",
  "1:2",
];
const timetzs = [
  "03:04:05+02",
  "03:04:05-08:30",
  "03:04:05",
  "24:00:00+00",
  "03:04:05 America/New_York",
  "03:04:05+15:59",
  "03:04:05+16",
  "2020-07-01 03:04:05 America/New_York",
];
const intervals = [
  "1 day 02:03:04",
  "P1Y2M",
  "P1Y2M3DT4H5M6S",
  "P1W",
  "PT1.5S",
  "P0.5Y",
  "PT1H",
  "P1.5M",
  "PT1.5M",
  "P1H",
  "PT1D",
  "P-1.5Y",
  "P1Y2M3W",
  "1 year 2 mons",
  "@ 1 hour ago",
  "-1 days +02:00",
  "1 day -02:00:00",
  "1.5 days",
  "1.5 months",
  "1.5 years",
  "0.5 weeks",
  "2 weeks",
  "10 decades",
  "1 century",
  "1 millennium",
  "5",
  "1.5",
  "-5",
  "02:03",
  "02:03:04.5",
  "-02:03:04",
  "1 02:03:04",
  "1-2",
  "-1-2",
  "1 hour 30 minutes",
  "90 minutes",
  "3600 seconds",
  "1000 ms",
  "1000000 us",
  "1 mon -1 day",
  "-1 year -2 mons +3 days -04:05:06",
  "0",
  "",
  "abc",
  "1 fortnight",
  "1 day 1 day",
  "2147483647 days",
  "2147483648 days",
  "178000000 years",
  "1 yr 2 hrs 3 mins 4 secs",
  "@ 1 day ago 2 hours",
  "1.25 hours",
  "0.000001 seconds",
  "1 day ago",
  "00:00:00",
  "-00:00:01",
  "100:00:00",
  "PT36H",
  "1 week 2 days",
  "3 mons 3 days",
  "1 h",
  "1 d 2 h",
];

interface Case {
  type: string;
  oid: number;
  inputs: string[];
}
const all: Case[] = [
  { type: "date", oid: Oid.date, inputs: dates },
  { type: "timestamp", oid: Oid.timestamp, inputs: timestamps },
  { type: "timestamptz", oid: Oid.timestamptz, inputs: timestamps },
  { type: "time", oid: Oid.time, inputs: times },
  { type: "timetz", oid: Oid.timetz, inputs: timetzs },
  { type: "interval", oid: Oid.interval, inputs: intervals },
];

Deno.test("date/time and interval text I/O matches PostgreSQL in several time zones", async () => {
  const pg = await Oracle.start();
  try {
    const diff = new Diff();
    const pending: Promise<void>[] = [];
    for (const zone of ["UTC", "America/New_York", "Asia/Kolkata", "+05", "UTC+5"]) {
      const ctx = defaultEvalContext({ timeZone: zone });
      for (const c of all) {
        if (zone !== "UTC" && !["timestamptz", "timetz"].includes(c.type)) continue;
        for (const input of c.inputs) {
          const got = ours(() => outputText(c.oid, inputText(c.oid, input, -1, ctx), ctx));
          pending.push(
            pg.out(`${lit(input)}::${c.type}`, zone).then((want) =>
              diff.check(`[${zone}] ${lit(input)}::${c.type}`, got, want)
            ),
          );
        }
      }
    }
    await Promise.all(pending);
    diff.done(300);
  } finally {
    await pg.stop();
  }
});
