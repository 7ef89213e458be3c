// Estimated cost of an operation, from what the subgraphs declare about their own fields:
// Apollo Federation's cost directives (https://specs.apollo.dev/cost/v0.1), `@cost(weight:)` on
// fields, arguments, input fields and types and `@listSize(assumedSize:, slicingArguments:,
// sizedFields:)` on list and connection fields, read from the composed supergraph. The gateway
// holds no list of domain fields: a subgraph that knows a search is expensive says so.
//
// The unit: 1 is about 50 µs of work (20 per ms), what resolving one field roughly costs; the
// subgraphs' weights come from `pnpm bench cost` (each operation's median time above an empty
// operation's, on the 500-SKU seed), so MAX_QUERY_COST (20,000) is about a second of work.
//
// Why our own walk and not graphql-query-complexity: its estimators see one field and the total
// of its children, so `sizedFields` (the page size of a connection applies to its `edges`, not to
// its `totalCount` or `facets`) and per-element cost of list arguments cannot be expressed.
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { argumentsOf, forEachAppliedDirective, linkedDirectiveNames } from './supergraph-directives';

/** The size assumed for a list whose subgraph declares none: conservative, as a page of 20. */
export const DEFAULT_LIST_SIZE = 20;
/**
 * A mutation field whose subgraph declares no @cost: a write measured like the declared ones (a
 * transaction with its outbox row, ~10 ms) rather than a field read from memory.
 */
export const DEFAULT_MUTATION_WEIGHT = 200;

const COST_SPEC = 'https://specs.apollo.dev/cost/';

export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
  requireOneSlicingArgument?: boolean;
}

/** Page sizes handed down from a connection field to the list fields it names in sizedFields. */
interface Sized {
  fields: ReadonlySet<string>;
  size: number;
}

/**
 * What the supergraph declares, by coordinate: `Type`, `Type.field`, `Type.field(arg:)`,
 * `Input.field`. An operation's cost, as Apollo Router's demand control counts it:
 * - a field costs its weight (its @cost, else its type's @cost, else 1; a mutation field
 *   DEFAULT_MUTATION_WEIGHT) plus what it selects, plus its arguments;
 * - a list field multiplies weight and selection by its size (so a list's weight is per item):
 *   the value of its slicing argument (`first`), else its assumedSize, else DEFAULT_LIST_SIZE;
 *   with sizedFields, the size multiplies those child fields (a connection's `edges`) instead;
 * - an argument costs its @cost weight (once, or per element of a list), each list element at
 *   least 1, and an input object its fields' weights: a cart of 500 lines costs 500 times a line;
 * - over an interface or union, the most expensive possible type counts;
 * - `__typename` and introspection are free (introspection is bounded by the schema).
 */
export class CostModel {
  private constructor(
    private readonly weights: ReadonlyMap<string, number>,
    private readonly listSizes: ReadonlyMap<string, ListSize>,
  ) {}

  /** No declarations: every field weighs 1 and every list DEFAULT_LIST_SIZE. */
  static readonly undeclared = new CostModel(new Map(), new Map());

  static fromSupergraph(supergraphSdl: string): CostModel {
    const document = parse(supergraphSdl);
    const names = linkedDirectiveNames(document, COST_SPEC, 'cost', ['cost', 'listSize']);
    if (!names) return CostModel.undeclared;
    const weights = new Map<string, number>();
    const listSizes = new Map<string, ListSize>();
    forEachAppliedDirective(document, (coordinate, d) => {
      const args = argumentsOf(d);
      if (d.name.value === names.cost && typeof args.weight === 'number') weights.set(coordinate, args.weight);
      if (d.name.value === names.listSize) listSizes.set(coordinate, args as ListSize);
    });
    return new CostModel(weights, listSizes);
  }

  /** Throws GraphQLError for variables that do not fit the operation (execution reports those). */
  estimate(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined | null,
  ): number {
    const operation = getOperationAST(document, operationName ?? undefined);
    if (!operation) return 0;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
    if (coerced.errors) throw coerced.errors[0];
    const root = schema.getRootType(operation.operation);
    if (!root) return 0;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of document.definitions)
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    return new Estimate(this, schema, fragments, coerced.coerced, operation.operation === 'mutation').selections(
      root,
      operation.selectionSet,
      undefined,
      true,
    );
  }

  /** A field's weight: its own @cost, else an interface's it implements, else its type's. */
  fieldWeight(parent: GraphQLObjectType, field: string, type: string): number | undefined {
    return (
      this.weights.get(`${parent.name}.${field}`) ??
      parent
        .getInterfaces()
        .map((i) => this.weights.get(`${i.name}.${field}`))
        .find((w) => w !== undefined) ??
      this.weights.get(type)
    );
  }

  listSize(parent: GraphQLObjectType, field: string): ListSize | undefined {
    return (
      this.listSizes.get(`${parent.name}.${field}`) ??
      parent
        .getInterfaces()
        .map((i) => this.listSizes.get(`${i.name}.${field}`))
        .find((l) => l !== undefined)
    );
  }

  /** `Type.field(arg:)` for an argument, `Input.field` for an input field, `Type` for a type. */
  weight(coordinate: string): number | undefined {
    return this.weights.get(coordinate);
  }
}

/** One operation's walk: the variables are fixed, so a fragment's cost on a type is computed once. */
class Estimate {
  private readonly fragmentCosts = new Map<string, number>();

  constructor(
    private readonly model: CostModel,
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly mutation: boolean,
  ) {}

  /** Over an abstract type, the most expensive of its possible types. */
  selections(type: GraphQLCompositeType, set: SelectionSetNode, sized: Sized | undefined, root = false): number {
    if (!isAbstractType(type)) return this.objectSelections(type, set, sized, root);
    let most = 0;
    for (const possible of this.schema.getPossibleTypes(type))
      most = Math.max(most, this.objectSelections(possible, set, sized, root));
    return most;
  }

  private objectSelections(type: GraphQLObjectType, set: SelectionSetNode, sized: Sized | undefined, root: boolean) {
    let total = 0;
    for (const selection of set.selections) {
      if (this.skipped(selection)) continue;
      if (selection.kind === Kind.FIELD) total += this.field(type, selection, sized, root);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (!condition || this.applies(condition, type))
          total += this.objectSelections(type, selection.selectionSet, sized, root);
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (!fragment || !this.applies(fragment.typeCondition.name.value, type)) continue;
        const key = `${fragment.name.value} ${type.name} ${sized ? [...sized.fields].join(',') + sized.size : ''} ${root}`;
        let cost = this.fragmentCosts.get(key);
        if (cost === undefined) {
          this.fragmentCosts.set(key, 0); // a cycle (refused by validation anyway) adds nothing
          cost = this.objectSelections(type, fragment.selectionSet, sized, root);
          this.fragmentCosts.set(key, cost);
        }
        total += cost;
      }
    }
    return total;
  }

  private field(parent: GraphQLObjectType, node: FieldNode, sized: Sized | undefined, root: boolean): number {
    const name = node.name.value;
    if (name.startsWith('__')) return 0;
    const def = parent.getFields()[name];
    if (!def || getNamedType(def.type).name.startsWith('__')) return 0;
    const args = getArgumentValues(def, node, this.variables);
    const named = getNamedType(def.type);

    let cost = 0;
    for (const arg of def.args)
      cost += this.input(arg.type, args[arg.name], this.model.weight(`${parent.name}.${name}(${arg.name}:)`));

    const weight =
      this.model.fieldWeight(parent, name, named.name) ?? (root && this.mutation ? DEFAULT_MUTATION_WEIGHT : 1);
    const listSize = this.model.listSize(parent, name);
    const size = sized?.fields.has(name) ? sized.size : sizeOf(listSize, args);
    const handedDown = listSize?.sizedFields?.length
      ? { fields: new Set(listSize.sizedFields), size: sizeOf(listSize, args) }
      : undefined;
    const children =
      node.selectionSet && isCompositeType(named) ? this.selections(named, node.selectionSet, handedDown) : 0;

    if (isListType(getNullableType(def.type)) || sized?.fields.has(name)) return cost + (weight + children) * size;
    return cost + weight + children;
  }

  /** An argument or input field's value; `weight` is its @cost, per element of a list. */
  private input(type: GraphQLInputType, value: unknown, weight: number | undefined): number {
    if (value === null || value === undefined) return 0;
    if (isNonNullType(type)) return this.input(type.ofType, value, weight);
    if (isListType(type)) {
      let total = 0;
      for (const item of Array.isArray(value) ? value : [value])
        total += Math.max(1, this.input(type.ofType, item, weight));
      return total;
    }
    if (isInputObjectType(type)) {
      let total = weight ?? this.model.weight(type.name) ?? 0;
      const fields = value as Record<string, unknown>;
      for (const field of Object.values(type.getFields()))
        total += this.input(field.type, fields[field.name], this.model.weight(`${type.name}.${field.name}`));
      return total;
    }
    return weight ?? this.model.weight(type.name) ?? 0;
  }

  private skipped(node: { directives?: readonly DirectiveNode[] }): boolean {
    if (!node.directives?.length) return false;
    const skip = getDirectiveValues(GraphQLSkipDirective, node, this.variables);
    if (skip?.if === true) return true;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, this.variables);
    return include?.if === false;
  }

  private applies(condition: string, type: GraphQLObjectType): boolean {
    const conditionType = this.schema.getType(condition);
    if (!conditionType) return false;
    if (conditionType === type) return true;
    return isAbstractType(conditionType) && this.schema.isSubType(conditionType, type);
  }
}

/**
 * A list's size: its slicing argument when given (the largest, if several are), else its
 * assumedSize, else DEFAULT_LIST_SIZE. requireOneSlicingArgument is not enforced: our slicing
 * arguments have defaults, so one is always there.
 */
function sizeOf(listSize: ListSize | undefined, args: Record<string, unknown>): number {
  const sliced = (listSize?.slicingArguments ?? [])
    .map((name) => args[name])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (sliced.length > 0) return Math.max(0, ...sliced);
  return listSize?.assumedSize ?? DEFAULT_LIST_SIZE;
}
