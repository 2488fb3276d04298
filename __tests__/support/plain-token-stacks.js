// cdktf records a complete stack trace for every token it creates, in case the token cannot be
// resolved later, and Jest maps every trace through the test files' source maps: about 8 s of CPU
// over a run for traces nobody reads. cdktf captures them into plain objects (Error.captureStackTrace
// on `{ stack: "" }`), so those are formatted as V8 formats them; every Error keeps Jest's mapping.
const sourceMapped = Error.prepareStackTrace;

Error.prepareStackTrace = (target, frames) =>
  target !== null && Object.getPrototypeOf(target) === Object.prototype ? frames.map((frame) => `    at ${frame}`).join("\n") : sourceMapped(target, frames);
