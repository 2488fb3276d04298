// The site bucket's name, apart from the construct: checking a configuration must not load cdktf
// and the provider's classes (the config file, `npm run dev` and the deploy guard only check names).
import { bucketNameFromPrefix, ruleProblem, S3_BUCKET_NAME } from "../aws/string-rules";

/** The site bucket's name prefix for a front door's name prefix. */
export function siteBucketPrefix(namePrefix: string): string {
  return `${namePrefix}-site-`;
}

/** Why S3 would refuse the site bucket named from `namePrefix` (a reserved prefix such as xn--), or undefined. */
export function siteBucketNameProblem(namePrefix: string): string | undefined {
  const problem = ruleProblem(S3_BUCKET_NAME, bucketNameFromPrefix(siteBucketPrefix(namePrefix)));
  return problem === undefined ? undefined : `makes the site bucket's name ${siteBucketPrefix(namePrefix)}…, which ${problem}`;
}
