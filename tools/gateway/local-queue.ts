import { createHash, randomUUID } from "node:crypto";

/** SQS's default visibility timeout, 30 s (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html). */
export const SQS_DEFAULT_VISIBILITY_SECONDS = 30;

/** Where messages go after too many receives (SQS's redrive policy). */
export interface Redrive {
  readonly deadLetter: LocalQueue;
  /** Receives after which a message is moved to `deadLetter` instead of being delivered again. */
  readonly maxReceiveCount: number;
}

export interface LocalQueueOptions {
  /** Seconds a received message stays invisible unless ReceiveMessage asks otherwise. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default no dead-letter queue: a message is delivered again forever */
  readonly redrive?: Redrive;
  /** Clock in epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** A message as ReceiveMessage returns it. */
export interface ReceivedMessage {
  readonly messageId: string;
  /** Names THIS receive: only the latest one deletes the message. */
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly receiveCount: number;
  readonly sentAt: number;
  readonly firstReceivedAt: number;
}

interface Stored {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

/** The MD5 hex digest SQS reports for a body; the SDK checks it on every send and receive. */
export function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

/**
 * One in-memory queue with the semantics of an SQS standard queue that the fan-out relies on: a
 * received message is invisible for the visibility timeout and then delivered again with its
 * receive count raised, until deleted with its latest receipt handle; with a redrive policy a
 * message already received maxReceiveCount times moves to the dead-letter queue instead.
 */
export class LocalQueue {
  private readonly messages = new Map<string, Stored>();
  private readonly visibilityMs: number;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly options: LocalQueueOptions = {},
  ) {
    this.visibilityMs = (options.visibilityTimeoutSeconds ?? SQS_DEFAULT_VISIBILITY_SECONDS) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Messages stored, visible or not (SQS: ApproximateNumberOfMessages + ...NotVisible). */
  get size(): number {
    return this.messages.size;
  }

  send(body: string): { messageId: string; md5OfBody: string } {
    const messageId = randomUUID();
    const md5OfBody = md5Hex(body);
    const now = this.now();
    this.messages.set(messageId, { messageId, body, md5OfBody, sentAt: now, receiveCount: 0, visibleAt: now });
    return { messageId, md5OfBody };
  }

  /** Up to `max` visible messages, each hidden for `visibilityTimeoutSeconds` (or the queue's). */
  receive(max: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    const now = this.now();
    const hideFor = visibilityTimeoutSeconds === undefined ? this.visibilityMs : visibilityTimeoutSeconds * 1000;
    const out: ReceivedMessage[] = [];
    for (const message of [...this.messages.values()]) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      // "when the ReceiveCount for a message exceeds the maxReceiveCount ... Amazon SQS moves the message to a dead-letter queue"
      // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html)
      const { redrive } = this.options;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        this.messages.delete(message.messageId);
        redrive.deadLetter.send(message.body);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + hideFor;
      message.receiptHandle = randomUUID();
      out.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        md5OfBody: message.md5OfBody,
        receiveCount: message.receiveCount,
        sentAt: message.sentAt,
        firstReceivedAt: message.firstReceivedAt,
      });
    }
    return out;
  }

  /**
   * Makes the message received with `receiptHandle` visible again after `visibilityTimeoutSeconds`
   * from now, as ChangeMessageVisibility does; false when the handle is not the message's latest
   * receive (SQS then answers an error: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html).
   */
  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): boolean {
    for (const message of this.messages.values()) {
      if (message.receiptHandle === receiptHandle) {
        message.visibleAt = this.now() + visibilityTimeoutSeconds * 1000;
        return true;
      }
    }
    return false;
  }

  /**
   * Deletes the message received with `receiptHandle`. An older handle of a message received again
   * since "succeeds, but the message will not be deleted", as SQS documents for standard queues
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html).
   */
  delete(receiptHandle: string): void {
    for (const message of this.messages.values()) {
      if (message.receiptHandle === receiptHandle) {
        this.messages.delete(message.messageId);
        return;
      }
    }
  }
}
