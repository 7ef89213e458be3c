// What an operation may be cached as, from the cache hints the subgraphs declared
// (`@cacheControl`, composed into the supergraph: platform/src/graphql/cache-control.ts), with
// Apollo Server's rules, decided from the document alone (before anything runs):
//  - a field's hint is its own, else (for a field returning an object, interface or union) its
//    type's; `inheritMaxAge` takes its parent's, i.e. restricts nothing;
//  - a root field, or a field returning an object, interface or union, with no hint has maxAge 0;
//    a scalar or enum field with no hint restricts nothing;
//  - the operation's maxAge is the least over its fields; it is PRIVATE if any hint says so.
// So what no subgraph declared is never stored in a shared cache (orders, carts, accounts).
import {
  getNamedType,
  isCompositeType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { argumentsOf, forEachAppliedDirective, linkedDirectiveNames } from './supergraph-directives';

const CACHE_CONTROL_SPEC = 'https://grocery.example/cache-control/';

interface Hint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
  inheritMaxAge?: boolean;
}

export interface CachePolicy {
  /** Seconds a shared cache may keep the answer; 0 = never. */
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
}

export const UNCACHEABLE: CachePolicy = { maxAge: 0, scope: 'PRIVATE' };

export function isSharedCacheable(policy: CachePolicy): boolean {
  return policy.maxAge > 0 && policy.scope === 'PUBLIC';
}

export class CachePolicies {
  private readonly byDocument = new WeakMap<DocumentNode, CachePolicy>();
  private readonly bySelection = new WeakMap<DocumentNode, CachePolicy>();

  private constructor(private readonly hints: ReadonlyMap<string, Hint>) {}

  /** No hints anywhere (a supergraph from elsewhere): nothing is cacheable. */
  static readonly none = new CachePolicies(new Map());

  static fromSupergraph(supergraphSdl: string): CachePolicies {
    const document = parse(supergraphSdl);
    const name = linkedDirectiveNames(document, CACHE_CONTROL_SPEC, 'cacheControl', ['cacheControl'])?.cacheControl;
    if (!name) return CachePolicies.none;
    const hints = new Map<string, Hint>();
    forEachAppliedDirective(document, (coordinate, d) => {
      if (d.name.value !== name) return;
      const args = argumentsOf(d);
      hints.set(coordinate, {
        maxAge: typeof args.maxAge === 'number' ? args.maxAge : undefined,
        scope: args.scope === 'PRIVATE' ? 'PRIVATE' : args.scope === 'PUBLIC' ? 'PUBLIC' : undefined,
        inheritMaxAge: args.inheritMaxAge === true,
      });
    });
    return new CachePolicies(hints);
  }

  /** The policy of every operation in the document (computed once per parsed document). */
  of(schema: GraphQLSchema, document: DocumentNode): CachePolicy {
    let policy = this.byDocument.get(document);
    if (policy) return policy;
    policy = this.compute(schema, document);
    this.byDocument.set(document, policy);
    return policy;
  }

  /**
   * The policy of what the document selects, whatever its operation type: for a subscription,
   * whether every event's answer is the same for every caller (PUBLIC, maxAge > 0), so that one
   * resolution per event may serve them all. The subscription field itself needs a hint (its own
   * or its type's), as a root field of a query does.
   */
  ofSelection(schema: GraphQLSchema, document: DocumentNode): CachePolicy {
    let policy = this.bySelection.get(document);
    if (policy) return policy;
    policy = this.compute(schema, document, true);
    this.bySelection.set(document, policy);
    return policy;
  }

  private compute(schema: GraphQLSchema, document: DocumentNode, anyOperation = false): CachePolicy {
    let maxAge = Infinity;
    let scope: CachePolicy['scope'] = 'PUBLIC';
    let fields = 0;
    const roots = new Set(
      [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].map((t) => t?.name),
    );
    const info = new TypeInfo(schema);
    const hints = this.hints;
    visit(
      document,
      visitWithTypeInfo(info, {
        OperationDefinition(node) {
          if (node.operation !== 'query' && !anyOperation) maxAge = 0;
        },
        Field(node) {
          const parent = info.getParentType();
          const field = info.getFieldDef();
          if (node.name.value.startsWith('__') || !parent || !field) return; // __typename, introspection
          fields += 1;
          const named = getNamedType(field.type);
          const composite = isCompositeType(named);
          const hint = hints.get(`${parent.name}.${field.name}`) ?? (composite ? hints.get(named.name) : undefined);
          if (hint?.scope === 'PRIVATE') scope = 'PRIVATE';
          if (hint?.inheritMaxAge) return;
          if (hint?.maxAge !== undefined) maxAge = Math.min(maxAge, hint.maxAge);
          else if (composite || roots.has(parent.name)) maxAge = 0;
        },
      }),
    );
    if (fields === 0 || !Number.isFinite(maxAge)) return UNCACHEABLE;
    return { maxAge, scope };
  }
}
