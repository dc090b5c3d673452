/**
 * What the request log, the guard and the cross-site check read of a request: its method and
 * headers. A Web `Request` is one; the sync fast path (server/http/fast-sync.ts) makes one
 * from Node's request without building a Request.
 */
export interface RequestHead {
	method: string;
	headers: { get(name: string): string | null };
}
