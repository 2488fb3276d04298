import { CONFIG_DEFAULTS } from "../../src/config/config-defaults";

/**
 * The one key pair the local gateway accepts on @connections (the signature is verified against
 * it) and that its loopback dynalite is given. Printed at start; sign local calls with it.
 * Not a secret: it only ever opens loopback services of a development aid.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: "AKIDLOCALDEV", secretAccessKey: "local-dev-secret" } as const;

/** The SigV4 service name of API Gateway's execute-api endpoints, @connections included. */
export const EXECUTE_API_SERVICE = "execute-api";

/** The region the local gateway signs and verifies with, unless told otherwise: the stack's default region. */
export const LOCAL_REGION: string = CONFIG_DEFAULTS.region;
