/** A stage's default route throttling, as the stack sets it (`defaultRouteSettings`). */
export interface ThrottlingSettings {
  /** Bucket size: requests that may arrive at once. */
  readonly burstLimit: number;
  /** Steady-state requests per second: the bucket's refill rate. */
  readonly rateLimit: number;
}

/**
 * API Gateway's throttle: a token bucket per route, `burstLimit` tokens, refilled at `rateLimit`
 * per second, one token per request; an empty bucket refuses the request
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html).
 * Each route key has a bucket of its own, the stage's default route settings applying to every
 * route as if set on it.
 */
export class RouteThrottle {
  private readonly buckets = new Map<string, { tokens: number; refilledAt: number }>();

  constructor(
    private readonly settings: ThrottlingSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `routeKey`: false when the request is throttled. */
  tryTake(routeKey: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(routeKey) ?? { tokens: this.settings.burstLimit, refilledAt: now };
    bucket.tokens = Math.min(this.settings.burstLimit, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.settings.rateLimit);
    bucket.refilledAt = now;
    this.buckets.set(routeKey, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
