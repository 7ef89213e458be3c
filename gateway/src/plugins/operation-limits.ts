// Bounds on what one operation may ask for: tokens, depth, aliases, directives (graphql-armor),
// estimated cost and page size. One implementation, used for HTTP (limits-plugin) and for
// subscriptions over WebSocket, so both refuse the same operations with the same codes.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { ErrorCode, type Config } from '@grocery/platform';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { estimateCost } from './query-cost';
import { findOversizedPage } from './page-size';

export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

export interface OperationLimitsOptions {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxPageSize: number;
  /** Lexical tokens in the document: stops a huge document before it is parsed. */
  maxTokens: number;
  maxDirectives: number;
}

/** graphql-armor's defaults are 1000 tokens; GraphiQL's introspection query alone is ~600. */
export const DEFAULT_MAX_TOKENS = 3000;
export const DEFAULT_MAX_DIRECTIVES = 50;

export function operationLimitsFromConfig(config: Config): OperationLimitsOptions {
  return {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_ALIASES,
    maxCost: config.MAX_QUERY_COST,
    maxPageSize: config.MAX_PAGE_SIZE,
    maxTokens: DEFAULT_MAX_TOKENS,
    maxDirectives: DEFAULT_MAX_DIRECTIVES,
  };
}

/** A refused operation: a client error (HTTP 400) with a stable code and the limit it broke. */
export class OperationLimitError extends GraphQLError {
  constructor(code: string, message: string, limit: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, limit, ...extra, http: { status: 400 } } });
  }
}

// armor prefixes its messages with "Syntax Error: " (it was written for the parse phase).
const armorMessage = (err: GraphQLError) => err.message.replace(/^Syntax Error:\s*/, '');

export class OperationLimits {
  private readonly documentRules: { limit: string; rule: ValidationRule }[];
  /** Document-only checks, once per parsed document (Apollo reuses the same DocumentNode). */
  private readonly checkedDocuments = new WeakMap<DocumentNode, OperationLimitError | null>();

  constructor(readonly options: OperationLimitsOptions) {
    // Rejections are reported, not thrown, so validate() returns them and we can code them.
    const reject = { propagateOnRejection: false, exposeLimits: true } as const;
    const report = (limit: string) => [
      (ctx: { reportError(e: GraphQLError): void } | null, err: GraphQLError) =>
        ctx?.reportError(withLimit(err, limit)),
    ];
    this.documentRules = [
      { limit: 'depth', rule: maxDepthRule({ n: options.maxDepth, ...reject, onReject: report('depth') }) },
      { limit: 'aliases', rule: maxAliasesRule({ n: options.maxAliases, ...reject, onReject: report('aliases') }) },
      {
        limit: 'directives',
        rule: maxDirectivesRule({ n: options.maxDirectives, ...reject, onReject: report('directives') }),
      },
    ];
  }

  /** Parses with a token budget (subscriptions); throws OperationLimitError for too long a document. */
  parse(source: string): DocumentNode {
    try {
      return new MaxTokensParserWLexer(source, { n: this.options.maxTokens }).parseDocument();
    } catch (err) {
      throw this.tokenError(err) ?? err;
    }
  }

  /**
   * Throws an OperationLimitError when `source` has more lexical tokens than allowed. The lexer
   * stops at the limit, so a huge document costs no more than a small one; syntax errors are
   * left to the real parser, which reports them with positions.
   */
  checkTokens(source: string): void {
    try {
      new MaxTokensParserWLexer(source, { n: this.options.maxTokens }).parseDocument();
    } catch (err) {
      const tooLong = this.tokenError(err);
      if (tooLong) throw tooLong;
    }
  }

  private tokenError(err: unknown): OperationLimitError | undefined {
    if (!(err instanceof GraphQLError) || !/Token limit/.test(err.message)) return undefined;
    return new OperationLimitError(QUERY_TOO_COMPLEX, `${armorMessage(err)} Split the operation.`, 'tokens', {
      max: this.options.maxTokens,
    });
  }

  /**
   * Every limit that needs the parsed document (and, for cost and page size, the variables).
   * Returns the first broken limit, or undefined when the operation may run.
   */
  check(args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    variables?: Record<string, unknown>;
    operationName?: string | null;
  }): OperationLimitError | undefined {
    const { schema, document, variables, operationName } = args;
    let documentError = this.checkedDocuments.get(document);
    if (documentError === undefined) {
      documentError = this.checkDocument(schema, document) ?? null;
      this.checkedDocuments.set(document, documentError);
    }
    if (documentError) return documentError;

    const page = findOversizedPage(schema, document, variables, this.options.maxPageSize);
    if (page)
      return new OperationLimitError(
        ErrorCode.BAD_USER_INPUT,
        `"first" on ${page.field} is ${page.requested}; at most ${this.options.maxPageSize} items per page. Page through the rest with "after".`,
        'pageSize',
        { field: 'first', max: this.options.maxPageSize },
      );

    let cost: number;
    try {
      cost = estimateCost(schema, document, variables, operationName);
    } catch {
      // Invalid variables: execution reports them (BAD_USER_INPUT) with the exact problem.
      return undefined;
    }
    if (cost > this.options.maxCost)
      return new OperationLimitError(
        QUERY_TOO_COMPLEX,
        `Operation cost ${cost} exceeds the limit of ${this.options.maxCost}. Ask for smaller pages ("first") or fewer fields.`,
        'cost',
        { cost, max: this.options.maxCost },
      );
    return undefined;
  }

  private checkDocument(schema: GraphQLSchema, document: DocumentNode): OperationLimitError | undefined {
    const [first] = validate(
      schema,
      document,
      this.documentRules.map((r) => r.rule),
    );
    if (!first) return undefined;
    const limit = String(first.extensions.limit ?? 'document');
    const max = {
      depth: this.options.maxDepth,
      aliases: this.options.maxAliases,
      directives: this.options.maxDirectives,
    }[limit];
    return new OperationLimitError(QUERY_TOO_COMPLEX, first.message, limit, max === undefined ? {} : { max });
  }
}

function withLimit(err: GraphQLError, limit: string): GraphQLError {
  return new GraphQLError(armorMessage(err), { extensions: { limit } });
}
