// Bounds on what one operation may ask for: tokens, depth, aliases, directives (graphql-armor),
// estimated cost and page size. One implementation, used for HTTP (limits-plugin) and for
// subscriptions over WebSocket, so both refuse the same operations with the same codes.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { ErrorCode, type Config } from '@grocery/platform';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { CostModel } from './query-cost';
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

/** The outcome of check(): the operation's estimated cost, and the limit it broke if any. */
export interface OperationCheck {
  cost: number;
  refused?: OperationLimitError;
}

export class OperationLimits {
  private readonly documentRules: { limit: string; rule: ValidationRule }[];
  /** Document-only checks, once per parsed document (Apollo reuses the same DocumentNode). */
  private readonly checkedDocuments = new WeakMap<DocumentNode, OperationLimitError | null>();

  /** `costModel`: what the subgraphs declare (CostModel.fromSupergraph); none means every field weighs 1. */
  constructor(
    readonly options: OperationLimitsOptions,
    private readonly costModel: CostModel = CostModel.undeclared,
  ) {
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
   * Every limit that needs the parsed document (and, for cost and page size, the variables as
   * the client sent them). Returns the estimated cost and the first broken limit, if any.
   */
  check(args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    variables?: Record<string, unknown>;
    operationName?: string | null;
  }): OperationCheck {
    const { schema, document, variables, operationName } = args;
    let documentError = this.checkedDocuments.get(document);
    if (documentError === undefined) {
      documentError = this.checkDocument(schema, document) ?? null;
      this.checkedDocuments.set(document, documentError);
    }
    if (documentError) return { cost: 0, refused: documentError };

    let cost: number;
    try {
      cost = this.costModel.estimate(schema, document, variables, operationName);
    } catch {
      // Variables that do not fit the operation: execution refuses them (BAD_USER_INPUT) with
      // the exact problem, before any resolver runs.
      return { cost: 0 };
    }

    const page = findOversizedPage(schema, document, variables, this.options.maxPageSize);
    if (page)
      return {
        cost,
        refused: new OperationLimitError(
          ErrorCode.BAD_USER_INPUT,
          `"first" on ${page.field} is ${page.requested}; at most ${this.options.maxPageSize} items per page. Page through the rest with "after".`,
          'pageSize',
          { field: 'first', max: this.options.maxPageSize },
        ),
      };

    if (cost > this.options.maxCost)
      return {
        cost,
        refused: new OperationLimitError(
          QUERY_TOO_COMPLEX,
          `Operation cost ${cost} exceeds the limit of ${this.options.maxCost}. Ask for smaller pages ("first"), fewer fields or fewer items.`,
          'cost',
          { cost, max: this.options.maxCost },
        ),
      };
    return { cost };
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
