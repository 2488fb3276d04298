/**
 * The authorizer context key that carries the token's subject to the routes
 * (`requestContext.authorizer.sub`): the authorizer writes it, `$connect` stores it, frames name it.
 */
export const SUBJECT_CONTEXT_KEY = "sub";
