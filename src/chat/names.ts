/**
 * Physical names: one place that turns a purpose into a name, so every resource of one
 * deployment shares the prefix and two deployments in one account never collide.
 */
export function physicalName(prefix: string, purpose: string): string {
  return `${prefix}-${purpose}`;
}
