import { CONFIG_DEFAULTS } from "../../src/config/config-defaults";

/**
 * The one key pair of every loopback AWS service here: the local gateway accepts it on
 * @connections (the signature is verified against it, and it is printed at start), and dynalite,
 * the local queue and the tests sign with it. Not a secret: it only ever opens loopback services
 * of a development aid.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: "AKIDLOCALDEV", secretAccessKey: "local-dev-secret" } as const;

/** The region the local services sign and verify with, unless told otherwise: the stack's default region. */
export const LOCAL_REGION: string = CONFIG_DEFAULTS.region;

/** Both, as an SDK client's `region` and `credentials`. */
export const LOCAL_AWS = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS } as const;
