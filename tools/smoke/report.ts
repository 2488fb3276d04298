import type { SmokeResult, StepResult } from "./run-smoke";
import type { SmokeSettings, Sourced } from "./settings";

/** One line per step: PASS/FAIL/SKIP, name, time, what was seen, and the hint below a failure. */
export function stepLine(step: StepResult): string {
  const mark = step.outcome === "pass" ? "PASS" : step.outcome === "fail" ? "FAIL" : "SKIP";
  const out = `${mark}  ${step.name.padEnd(8)} ${String(step.ms).padStart(6)} ms  ${step.detail}`;
  return step.hint ? `${out}\n      hint: ${step.hint}` : out;
}

/** The settings of the run, each with where it came from, so a wrong value is traced to its source. */
export function header(settings: SmokeSettings): string {
  const row = (label: string, setting: Sourced<string | undefined>) => `  ${label.padEnd(17)} ${setting.value ?? "(unknown)"}  [${setting.source}]`;
  return [
    "smoke checks for",
    row("url", settings.url),
    row("mapping key", settings.mappingKey),
    row("signing region", settings.region),
    row("default endpoint", settings.apiDefaultEndpoint),
    ...(settings.outputsIgnored !== undefined ? [`  note: ${settings.outputsIgnored}`] : []),
  ].join("\n");
}

/** The last line: all passed, or how many failed. */
export function summary(result: SmokeResult): string {
  const failed = result.steps.filter((s) => s.outcome === "fail").length;
  const skipped = result.steps.filter((s) => s.outcome === "skip").length;
  const skippedNote = skipped > 0 ? ` (${skipped} skipped)` : "";
  return result.ok ? `no check failed for ${result.url}${skippedNote}` : `${failed} of ${result.steps.length} checks failed for ${result.url}${skippedNote}`;
}
