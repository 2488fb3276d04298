/** What the sender of a split broadcast receives: one acknowledgement, then one report per segment. */

/** Sent at once by sendmessage when a broadcast is split. */
export interface BroadcastAccepted {
  readonly type: "broadcast-accepted";
  readonly broadcastId: string;
  /** Recipients counted when the broadcast started. */
  readonly recipients: number;
  /** The parts the broadcast was split into (every report names this number too). */
  readonly segments: number;
  /**
   * Parts whose jobs were queued: the reports to expect; the broadcast is finished when one has
   * arrived for each. Fewer than `segments` when the queue took only some jobs: the connections of
   * the others do not get the message, and sending it again would post it twice to the queued ones.
   */
  readonly queued: number;
}

/**
 * How a segment ended: "done" (every recipient tried), "retrying" (the job failed or ran out of
 * time; SQS delivers it again), "dead-lettered" (its last attempt failed: it is in the dead-letter queue).
 */
export type SegmentStatus = "done" | "retrying" | "dead-lettered";

/** Sent by the worker to the sender after each attempt at a segment. */
export interface SegmentReport {
  readonly type: "broadcast-segment";
  readonly broadcastId: string;
  readonly segment: number;
  readonly segments: number;
  readonly status: SegmentStatus;
  readonly delivered: number;
  readonly pruned: number;
  readonly failed: number;
}
