/**
 * Size limits of what a transport accepts, in one place: docs/security.md quotes them and the tests read them.
 * The largest call is photo.attach: a 5 MB photo as base64 (4/3) is about 6.7 MB of JSON, so a call body may
 * be up to 8 MB; the preview answers anything larger with 413 and a sentence, not a connection reset.
 */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** A photo as base64 plus a data: URL prefix. */
export const MAX_PHOTO_BASE64_CHARS = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64;
/** One call's JSON body over the preview's HTTP transport. */
export const MAX_CALL_BODY_BYTES = 8 * 1024 * 1024;
/** One WebSocket message a client may send (the renderer sends none; the socket only pushes events). */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;
