import { isInZone, parentDomain } from "./domain-name";
import { pathPatternMatches } from "./path-pattern";

// The rules of a front door's inputs, as plain functions: the construct checks its props with
// them, and the configuration file's parser checks its fields with the same rules and messages.

/**
 * An API mapping key, which is the socket's path. API Gateway allows letters, digits and
 * `$-_.+!*'()` up to 300 characters, and several levels
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-mappings.html);
 * one segment of the subset that is also literal in a CloudFront path pattern and in a URL keeps
 * `https://<host>/<key>/@connections/<id>` unambiguous for clients, signers and the pattern.
 */
export const SOCKET_PATH = /^[A-Za-z0-9._-]{1,128}$/;
export const SOCKET_PATH_MESSAGE = "must be one path segment of 1-128 letters, digits, '.', '_' or '-', such as websocket";
/** A URL path normalizes "." and ".." away, so neither can name the socket's path. */
export const DOT_SEGMENT_MESSAGE = 'may not be "." or ".." (a URL path removes them): use a name such as websocket';

/**
 * A CloudFront path pattern: at most 255 characters of A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + & and ?
 * (CacheBehavior PathPattern, https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern).
 */
export const PATH_PATTERN_MAX_LENGTH = 255;
export const PATH_PATTERN_CHARS = /^[A-Za-z0-9_.*$/~"'@:+&?-]+$/;
export const PATH_PATTERN_CHARS_MESSAGE = "may only contain A-Z a-z 0-9 _ - . * ? $ / ~ \" ' @ : + &";

/**
 * A prefix of physical names that also starts the site bucket's name: `<prefix>-site-` is a
 * Terraform bucket_prefix, which holds at most 37 characters. The bucket name it makes is checked
 * against S3's rules apart (siteBucketNameProblem).
 */
export const NAME_PREFIX = /^[a-z][a-z0-9-]{1,29}$/;

/** The name prefix's form. */
export function namePrefixIssues(prefix: string, field: string): InputIssue[] {
  return NAME_PREFIX.test(prefix) ? [] : [{ path: [field], input: prefix, message: "must be 2-30 characters: a lower-case letter, then a-z, 0-9 or '-'" }];
}

/** One problem with an input: the field it concerns, what was given, and what to do. */
export interface InputIssue {
  readonly path: readonly PropertyKey[];
  readonly input?: unknown;
  readonly message: string;
}

/** How the messages name the inputs: the construct's props, or the configuration file's fields. */
export interface InputNames {
  readonly socketPath: string;
  readonly pathPattern: string;
  readonly site: string;
  readonly hostedZoneName: string;
}

/** The socket's path, on its own. */
export function socketPathIssues(socketPath: string, names: InputNames): InputIssue[] {
  if (!SOCKET_PATH.test(socketPath)) return [{ path: [names.socketPath], input: socketPath, message: SOCKET_PATH_MESSAGE }];
  if (socketPath === "." || socketPath === "..") return [{ path: [names.socketPath], input: socketPath, message: DOT_SEGMENT_MESSAGE }];
  return [];
}

/** The path pattern's own form (length and characters). */
export function pathPatternFormIssues(pattern: string, names: InputNames): InputIssue[] {
  const issues: InputIssue[] = [];
  if (pattern.length > PATH_PATTERN_MAX_LENGTH) {
    issues.push({ path: [names.pathPattern], input: pattern, message: `must be at most ${PATH_PATTERN_MAX_LENGTH} characters (CloudFront limit)` });
  }
  if (!PATH_PATTERN_CHARS.test(pattern)) issues.push({ path: [names.pathPattern], input: pattern, message: PATH_PATTERN_CHARS_MESSAGE });
  return issues;
}

/** The hostname must lie in the hosted zone that gets its records. */
export function zoneIssues(domainName: string, zoneName: string, names: InputNames): InputIssue[] {
  if (isInZone(domainName, zoneName)) return [];
  return [
    {
      path: [names.hostedZoneName],
      input: zoneName,
      message: `must be the zone that contains domainName ${domainName} (set it to ${parentDomain(domainName)} or a parent of it)`,
    },
  ];
}

/** What the site publishes, for the checks that must not hide or overwrite any of it. */
export interface SitePaths {
  /** Object keys read from the site folder. */
  readonly files: readonly string[];
  /** Keys the stack writes itself, with what each is for. */
  readonly generated: ReadonlyArray<{ readonly key: string; readonly purpose: string }>;
  /** The folder, as the message should name it. */
  readonly folder: string;
}

/**
 * The path pattern must route the socket and its @connections API to the API, and no page of the
 * site away from it: the socket's behavior comes first, so a site path it matches is never served.
 */
export function routingIssues(socketPath: string, pattern: string, site: SitePaths | undefined, names: InputNames): InputIssue[] {
  const issues: InputIssue[] = [];
  const unmatched = [`/${socketPath}`, `/${socketPath}/@connections/abc%3D`].filter((path) => !pathPatternMatches(pattern, path));
  if (unmatched.length > 0) {
    issues.push({
      path: [names.pathPattern],
      input: pattern,
      message: `cannot match ${unmatched.join(" nor ")}, where ${names.socketPath} ${socketPath} puts the socket (use "${socketPath}*")`,
    });
  }
  if (site === undefined) return issues;
  for (const { key, purpose } of site.generated) {
    if (site.files.includes(key)) {
      issues.push({ path: [names.site], input: site.folder, message: `holds ${key}, which the stack writes itself (${purpose}): rename that file` });
    }
  }
  const sitePaths = ["/", "/index.html", ...[...site.files, ...site.generated.map((file) => file.key)].map((key) => `/${key}`)];
  const hidden = [...new Set(sitePaths.filter((path) => pathPatternMatches(pattern, path)))];
  if (hidden.length > 0) {
    const defaultPattern = `${socketPath}*`;
    const fix = sitePaths.some((path) => pathPatternMatches(defaultPattern, path))
      ? `rename ${hidden.length === 1 ? "that file" : "those files"} in ${site.folder}, or choose a ${names.socketPath} that no site file starts with`
      : `use "${defaultPattern}"`;
    issues.push({
      path: [names.pathPattern],
      input: pattern,
      message: `also matches ${listSome(hidden)}, so it would hide ${hidden.length === 1 ? "that path" : "those paths"} of the site (${fix})`,
    });
  }
  return issues;
}

/**
 * S3 object keys are at most 1,024 bytes of UTF-8 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html),
 * and one PUT uploads at most 5 GB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html),
 * which is how Terraform's aws_s3_object uploads a file.
 */
export const MAX_OBJECT_KEY_BYTES = 1024;
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

/**
 * What the bucket cannot take from a site folder: keys or files too large for S3, and keys that
 * name the same construct (a construct id turns "/" into "--", so `a/b.html` and `a--b.html`
 * would be one object resource and synth would stop on the clash).
 */
export function siteObjectIssues(files: ReadonlyArray<{ readonly key: string; readonly bytes: number }>, folder: string, names: InputNames): InputIssue[] {
  const issues: InputIssue[] = [];
  const issue = (message: string) => issues.push({ path: [names.site], input: folder, message });
  const byId = new Map<string, string>();
  for (const { key, bytes } of files) {
    if (Buffer.byteLength(key, "utf8") > MAX_OBJECT_KEY_BYTES)
      issue(`holds ${key.slice(0, 40)}…, whose path is over S3's ${MAX_OBJECT_KEY_BYTES} bytes for an object key: shorten it`);
    if (bytes > MAX_SINGLE_PUT_BYTES)
      issue(`holds ${key} of ${(bytes / 1024 ** 3).toFixed(1)} GiB: one upload takes at most 5 GB; serve it from another origin`);
    const id = key.replaceAll("/", "--");
    const other = byId.get(id);
    if (other !== undefined)
      issue(`holds both ${other} and ${key}, which the stack cannot tell apart ("/" and "--" name the same object resource): rename one`);
    byId.set(id, key);
  }
  return issues;
}

/** The first few items, then how many more. */
function listSome(items: readonly string[], shown = 5): string {
  return items.length <= shown ? items.join(", ") : `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`;
}
