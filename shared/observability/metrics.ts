/**
 * Custom CloudWatch metrics as embedded metric format (EMF) records: one JSON line on standard output,
 * from which CloudWatch Logs extracts the metric. No SDK call, no `cloudwatch:PutMetricData` grant: the
 * function's log permissions suffice. Written straight to stdout, not through `console` — with the
 * functions' JSON log format Lambda wraps `console` lines in its own record, which hides the EMF root.
 */

/** The namespace of CityGrid's own metrics (infra/constructs reads them under it). */
export const METRIC_NAMESPACE = 'CityGrid';

/** 1 while a working-calendar year the city must set is missing (functions/ops/check-calendar.ts), else 0. */
export const CALENDAR_METRIC = 'CalendarYearMissing';

/** One EMF record: `name` = `value` with the given dimensions (e.g. `{ Stack: 'CityGrid-prod' }`). */
export function metricRecord(name: string, value: number, dimensions: Record<string, string>, at: Date, unit = 'Count') {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: unit }] }],
    },
    ...dimensions,
    [name]: value,
  };
}

/** Writes the record as one line (a Lambda's stdout goes to its log stream as is). */
export function putMetric(record: ReturnType<typeof metricRecord>, write: (line: string) => void = (line) => void process.stdout.write(line)): void {
  write(`${JSON.stringify(record)}\n`);
}
