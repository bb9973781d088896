const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Admin activity by UTC hour: busy on weekday working hours across EMEA and the Americas, quiet otherwise. */
function activityWeight(hourStart: number): number {
  const date = new Date(hourStart);
  const day = date.getUTCDay();
  const hour = date.getUTCHours();
  if (day === 0 || day === 6) return 0.4;
  if (hour >= 9 && hour < 17) return 8;
  if (hour >= 7 && hour < 22) return 5;
  return 1;
}

/**
 * Maps event slot i of n to an instant in [start, now], following the activity curve. Slot times grow
 * with i, so events come out in time order without sorting (which a 1,000,000-event benchmark cannot afford).
 */
export class DemoTimeline {
  readonly start: number;
  private readonly weights: Float64Array;
  private readonly cumulative: Float64Array;
  private cursor = 0;

  constructor(
    readonly now: number,
    days: number,
    private readonly slots: number,
  ) {
    this.start = now - Math.round(days * DAY_MS);
    const hours = Math.max(1, Math.ceil((now - this.start) / HOUR_MS));
    this.weights = new Float64Array(hours);
    this.cumulative = new Float64Array(hours + 1);
    for (let h = 0; h < hours; h++) {
      const hourStart = this.start + h * HOUR_MS;
      const weight = activityWeight(hourStart) * (this.hourLength(h) / HOUR_MS);
      this.weights[h] = weight;
      this.cumulative[h + 1] = (this.cumulative[h] ?? 0) + weight;
    }
  }

  private hourLength(hour: number): number {
    return Math.min(HOUR_MS, this.now - (this.start + hour * HOUR_MS));
  }

  private get total(): number {
    return this.cumulative[this.weights.length] ?? 0;
  }

  /** Instant of slot `index` (0 ≤ jitter < 1). Indexes must not decrease between calls. */
  slotTime(index: number, jitter: number): number {
    const target = ((index + jitter) / this.slots) * this.total;
    const last = this.weights.length - 1;
    while (this.cursor < last && (this.cumulative[this.cursor + 1] ?? 0) <= target) this.cursor++;
    const weight = this.weights[this.cursor] ?? 0;
    const within = weight > 0 ? Math.min(1, (target - (this.cumulative[this.cursor] ?? 0)) / weight) : 0;
    const time = this.start + this.cursor * HOUR_MS + within * this.hourLength(this.cursor);
    return Math.min(this.now, Math.floor(time));
  }

  /** Share of all activity that falls before `time`: which slot index an instant corresponds to. */
  fractionBefore(time: number): number {
    const clamped = Math.max(this.start, Math.min(this.now, time));
    const hour = Math.min(this.weights.length - 1, Math.floor((clamped - this.start) / HOUR_MS));
    const inHour = (clamped - (this.start + hour * HOUR_MS)) / this.hourLength(hour);
    const before = (this.cumulative[hour] ?? 0) + (this.weights[hour] ?? 0) * Math.min(1, inHour);
    return this.total > 0 ? before / this.total : 0;
  }
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;

/**
 * `new Date(t).toISOString()` for increasing instants, reusing the date part: formatting a million
 * timestamps is a measurable share of the benchmark otherwise. Output is identical to toISOString.
 */
export class IsoInstantFormatter {
  private dayStart = Number.NaN;
  private datePrefix = '';

  format(time: number): string {
    if (time < 0 || time >= LAST_FOUR_DIGIT_YEAR_MS || !Number.isInteger(time)) return new Date(time).toISOString();
    const dayStart = time - (time % DAY_MS);
    if (dayStart !== this.dayStart) {
      this.dayStart = dayStart;
      this.datePrefix = new Date(dayStart).toISOString().slice(0, 11);
    }
    let rest = time - dayStart;
    const ms = rest % 1000;
    rest = (rest - ms) / 1000;
    const seconds = rest % 60;
    rest = (rest - seconds) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    return `${this.datePrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[ms]}Z`;
  }
}
