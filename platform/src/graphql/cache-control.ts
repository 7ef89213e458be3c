// Cache policy, owned by the subgraphs. Each subgraph says what is public and for how long with
// `@cacheControl` (Apollo Server's cache hints: maxAge in seconds, scope, inheritMaxAge) on its
// types and fields; composition carries the directive into the supergraph (@composeDirective),
// where the gateway's response cache reads it. Apollo's defaults hold: a root field, or a field
// returning an object, interface or union, with no hint (its own or its type's) has maxAge 0,
// so anything a subgraph does not declare is never stored in a shared cache.
//
// Each answer also says what it was read from, so events evict exactly what they change: a
// resolver tags the request (`tagCache(ctx, 'stock/stock:SKU-1')`), the subgraph sends the tags
// in the response's `extensions.cacheTags`, and an event on grocery.<domain> of type
// <aggregate>.<change> with subject S evicts `<domain>/<aggregate>:S`, `<domain>/<aggregate>:*`
// and `<domain>/*`. Unless a subgraph declares that its resolvers tag everything they read
// (`preciseCacheTags`), its answers also carry `<name>/*`: any event of its domain evicts them.
import { Directive } from 'type-graphql';

export const CACHE_CONTROL_LINK =
  '@link(url: "https://grocery.example/cache-control/v1.0", import: ["@cacheControl"]) @composeDirective(name: "@cacheControl")';

export const CACHE_CONTROL_DEFINITIONS = `
enum CacheControlScope { PUBLIC PRIVATE }
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

/** `@CacheControl({ maxAge: 60 })` on a type-graphql class or field. */
export function CacheControl(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE'; inheritMaxAge?: boolean }) {
  const args = [
    hint.maxAge !== undefined ? `maxAge: ${Math.trunc(hint.maxAge)}` : '',
    hint.scope ? `scope: ${hint.scope}` : '',
    hint.inheritMaxAge ? 'inheritMaxAge: true' : '',
  ].filter(Boolean);
  return Directive(`@cacheControl(${args.join(', ')})`);
}

/** Tags one subgraph answer carries, in `extensions.cacheTags`. */
export const CACHE_TAGS_EXTENSION = 'cacheTags';

/** Most tags one answer may carry; past it, the subgraph's own wildcard stands for the rest. */
export const MAX_CACHE_TAGS = 200;

/**
 * Where a request's tags collect: a Set on its context object, created with the context (see
 * `withCacheTags`) so that the shallow copy Apollo Server may make of a context shares it.
 */
const TAGS = Symbol.for('grocery.cacheTags');
type Tagged = { [TAGS]?: Set<string> };

/** Gives a fresh request context its tag set; the hosts (subgraph server, in-process) call it. */
export function withCacheTags<C extends object>(ctx: C): C {
  (ctx as Tagged)[TAGS] = new Set();
  return ctx;
}

/** Records that the answer to this request (its context) was read from what these tags name. */
export function tagCache(ctx: object, ...tags: string[]): void {
  const tagged = ctx as Tagged;
  const set = (tagged[TAGS] ??= new Set());
  for (const t of tags) set.add(t);
}

/**
 * The tags an answer of subgraph `name` carries: what its resolvers tagged, plus `<name>/*`
 * unless the subgraph tags precisely (or tagged more than MAX_CACHE_TAGS things).
 */
export function cacheTagsOf(ctx: object, name: string, precise: boolean): string[] {
  const tagged = (ctx as Tagged)[TAGS];
  const tags = tagged ? [...tagged] : [];
  if (tags.length > MAX_CACHE_TAGS)
    return [`${name}/*`, ...tags.filter((t) => !t.startsWith(`${name}/`)).slice(0, MAX_CACHE_TAGS)];
  if (!precise || tags.length === 0) tags.push(`${name}/*`);
  return tags;
}

/** The tags an event evicts (see the file comment). */
export function cacheTagsOfEvent(domain: string, event: { type: string; subject?: string }): string[] {
  const aggregate = event.type.split('.')[0] ?? event.type;
  const tags = [`${domain}/*`, `${domain}/${aggregate}:*`];
  if (event.subject) tags.push(`${domain}/${aggregate}:${event.subject}`);
  return tags;
}
