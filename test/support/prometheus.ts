/**
 * Prometheus text format 0.0.4, read by an independent parser (npm `parse-prometheus-text-format`)
 * so the metrics tests check what a scraper sees, not what our renderer meant.
 */
// @ts-ignore: the package ships no type declarations; `MetricFamily` below says what it gives.
import parsePrometheusTextFormat from "parse-prometheus-text-format";

/** One sample of a counter or gauge, or one histogram series. */
export interface Sample {
  labels?: Record<string, string>;
  value?: string;
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}

/** One metric family as the parser gives it. */
export interface MetricFamily {
  name: string;
  help: string;
  type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
  metrics: Sample[];
}

/** Parse an exposition; throws where the text breaks the format. */
export function parsePrometheus(text: string): Map<string, MetricFamily> {
  const families = (parsePrometheusTextFormat as (text: string) => MetricFamily[])(text);
  return new Map(families.map((family) => [family.name, family]));
}

/** The value of the sample of `name` whose labels include `labels` (all of them); undefined when none. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = families.get(name);
  if (family === undefined) return undefined;
  const found = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return found?.value === undefined ? undefined : Number(found.value);
}

/** The sum of the samples of `name` whose labels include `labels`. */
export function sampleSum(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const family = families.get(name);
  if (family === undefined) return 0;
  let sum = 0;
  for (const m of family.metrics) {
    if (Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)) sum += Number(m.value ?? 0);
  }
  return sum;
}
