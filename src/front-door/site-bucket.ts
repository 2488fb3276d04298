import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { basename } from "node:path";
import type { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { Annotations, AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { contentType } from "mime-types";
import { type GeneratedSiteFile, SITE_CACHE_CONTROL, type SiteListing } from "./site-files";

export interface SiteBucketProps {
  /** Prefix of the bucket name; S3 appends a unique suffix (bucket names are global). */
  readonly bucketPrefix: string;
  /** The site folder's files (`listSiteFiles`): what becomes an object, and what was left out. */
  readonly site: SiteListing;
  /** Objects made at synth rather than read from the folder (the page's settings). @default [] */
  readonly generated?: readonly GeneratedSiteFile[];
  /**
   * The Cache-Control of the site folder's object with this key (a generated file brings its own).
   * @default - SITE_CACHE_CONTROL ("no-cache") for every object
   */
  readonly cacheControl?: (key: string) => string;
}

/**
 * The static site's bucket: private (all public access blocked, ACLs off), SSE-S3, versioned
 * (old versions expire after 30 days).
 * Readable only by CloudFront through the Origin Access Control, for one distribution
 * (`allowDistribution`). SSE-S3 keeps each object's ETag equal to its MD5, so `etag` detects changes.
 */
export class SiteBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly originAccessControl: CloudfrontOriginAccessControl;

  constructor(scope: Construct, id: string, props: SiteBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", { bucketPrefix: props.bucketPrefix });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    // Versioning keeps every overwritten site file; old versions go after 30 days.
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-old-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    this.originAccessControl = new CloudfrontOriginAccessControl(this, "oac", {
      name: props.bucketPrefix.replace(/-$/, ""),
      description: "CloudFront reads the site bucket with SigV4",
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    this.upload(props.site, props.cacheControl ?? (() => SITE_CACHE_CONTROL));
    for (const object of props.generated ?? []) this.uploadGenerated(object);
  }

  /** Admits `distribution` (and only it) to read objects, and refuses any request without TLS. */
  allowDistribution(distribution: CloudfrontDistribution): void {
    const policy = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          sid: "AllowThisDistributionOnly",
          effect: "Allow",
          actions: ["s3:GetObject"],
          resources: [`${this.bucket.arn}/*`],
          principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [distribution.arn] }],
        },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: "*", identifiers: ["*"] }],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(this, "policy", { bucket: this.bucket.id, policy: policy.json });
  }

  private uploadGenerated({ key, body, contentType, cacheControl = SITE_CACHE_CONTROL }: GeneratedSiteFile): void {
    new S3Object(this, `object-${key}`, {
      bucket: this.bucket.id,
      key,
      content: body,
      etag: createHash("md5").update(body).digest("hex"),
      contentType,
      cacheControl,
    });
  }

  private upload(site: SiteListing, cacheControl: (key: string) => string): void {
    if (site.skipped.length > 0) {
      Annotations.of(this).addWarning(`Not uploaded from the site folder: ${site.skipped.join(", ")}`);
    }
    for (const { key, path: file } of site.files) {
      const asset = new TerraformAsset(this, `asset-${key}`, { path: file, type: AssetType.FILE });
      new S3Object(this, `object-${key}`, {
        bucket: this.bucket.id,
        key,
        source: asset.path,
        etag: md5OfFile(file),
        contentType: contentType(basename(file)) || "application/octet-stream",
        cacheControl: cacheControl(key),
      });
    }
  }
}

/** A file's MD5, read in chunks: a whole-file read stops at 2 GiB, and S3 takes files up to 5 GB. */
function md5OfFile(path: string): string {
  const hash = createHash("md5");
  const chunk = Buffer.alloc(1 << 20);
  const fd = openSync(path, "r");
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) hash.update(chunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
