// Reading what subgraphs declared with linked directives (`@cost`, `@listSize`, `@cacheControl`)
// out of a composed supergraph: their local names, and where they are applied.
import { Kind, valueFromASTUntyped, type ConstDirectiveNode, type DocumentNode } from 'graphql';

export function argumentsOf(directive: ConstDirectiveNode): Record<string, unknown> {
  return Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
}

/**
 * The local names of a linked spec's directives: `@link(url: "<specUrl>…", as:, import:)` on the
 * schema. Imported ones keep their (or their `as`) name; the others are `@<as>__<name>`, except
 * the one named like the spec (`defaultPrefix`), which is `@<as>`. Undefined without the link.
 */
export function linkedDirectiveNames<N extends string>(
  document: DocumentNode,
  specUrl: string,
  defaultPrefix: string,
  names: readonly N[],
): Record<N, string> | undefined {
  for (const def of document.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of def.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = argumentsOf(link);
      if (typeof args.url !== 'string' || !args.url.startsWith(specUrl)) continue;
      const prefix = typeof args.as === 'string' ? args.as : defaultPrefix;
      const imported = new Map<string, string>();
      for (const entry of Array.isArray(args.import) ? args.import : []) {
        if (typeof entry === 'string') imported.set(entry, entry);
        else if (entry && typeof entry === 'object' && 'name' in entry)
          imported.set(String(entry.name), String((entry as { as?: unknown }).as ?? entry.name));
      }
      const local = (name: string) =>
        (imported.get(`@${name}`) ?? (name === defaultPrefix ? `@${prefix}` : `@${prefix}__${name}`)).slice(1);
      return Object.fromEntries(names.map((n) => [n, local(n)])) as Record<N, string>;
    }
  }
  return undefined;
}

/**
 * Calls `visit` for every directive applied in the document, with where: `Type`, `Type.field`,
 * `Type.field(arg:)` or `Input.field` (objects, interfaces, unions, inputs, scalars, enums).
 */
export function forEachAppliedDirective(
  document: DocumentNode,
  visit: (coordinate: string, directive: ConstDirectiveNode) => void,
): void {
  const read = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    for (const d of directives ?? []) visit(coordinate, d);
  };
  for (const def of document.definitions) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        read(def.name.value, def.directives);
        for (const field of def.fields ?? []) {
          const coordinate = `${def.name.value}.${field.name.value}`;
          read(coordinate, field.directives);
          for (const arg of field.arguments ?? []) read(`${coordinate}(${arg.name.value}:)`, arg.directives);
        }
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        read(def.name.value, def.directives);
        for (const field of def.fields ?? []) read(`${def.name.value}.${field.name.value}`, field.directives);
        break;
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION:
        read(def.name.value, def.directives);
        break;
      default:
    }
  }
}
