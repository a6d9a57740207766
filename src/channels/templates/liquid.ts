import { Liquid, ParseError, TokenizationError, UndefinedVariableError } from 'liquidjs'

/**
 * LiquidJS, locked down for marketers' templates:
 * - `strictVariables` and `strictFilters`: a misspelt variable or filter is an error naming it,
 *   never an empty gap in a message that already went to a million people; `lenientIf` keeps
 *   `{% if profile.x %}` and `| default:` usable for optional values;
 * - `ownPropertyOnly`: no reaching into prototypes (`{{ x.constructor }}`);
 * - `templates: {}`: `include`, `render` and `layout` resolve in an empty in-memory map, so a
 *   template can never read the file system;
 * - parse, render-time and memory limits against templates that would hang or exhaust the process.
 * HTML bodies use an engine that HTML-escapes every output, so a trait holding markup cannot
 * inject it into an email (`| raw` opts out).
 */
const common = {
  strictVariables: true,
  strictFilters: true,
  lenientIf: true,
  ownPropertyOnly: true,
  templates: {},
  parseLimit: 200_000,
  renderLimit: 1_000,
  memoryLimit: 20_000_000,
} as const

const textEngine = new Liquid(common)
const htmlEngine = new Liquid({ ...common, outputEscape: 'escape' })

export type LiquidProblem =
  | { kind: 'UndefinedVariable'; field: string; variable: string; message: string }
  | { kind: 'SyntaxError'; field: string; message: string }
  | { kind: 'RenderError'; field: string; message: string }

/** A field that would not render; `problem` says which and why, in words a template author can act on. */
export class TemplateRenderError extends Error {
  readonly problem: LiquidProblem
  constructor(problem: LiquidProblem) {
    super(problem.message)
    this.problem = problem
  }
}

export type OutputMode = 'text' | 'html'

/**
 * @example await renderLiquid('email.subject', '{{ profile.name }}，新品到了', { profile: { name: '李雷' } }) // '李雷，新品到了'
 */
export async function renderLiquid(field: string, source: string, scope: Record<string, unknown>, mode: OutputMode = 'text'): Promise<string> {
  const engine = mode === 'html' ? htmlEngine : textEngine
  try {
    return await engine.parseAndRender(source, scope)
  } catch (error) {
    throw new TemplateRenderError(describe(field, error))
  }
}

/** Parses without rendering: syntax errors and unknown filters, found when a template is saved. */
export function checkLiquidSyntax(field: string, source: string): LiquidProblem | null {
  try {
    textEngine.parse(source)
    return null
  } catch (error) {
    return describe(field, error)
  }
}

function describe(field: string, error: unknown): LiquidProblem {
  if (error instanceof UndefinedVariableError) {
    const variable = error.message.match(/undefined variable: ([^,]+)/)?.[1] ?? 'unknown'
    return {
      kind: 'UndefinedVariable',
      field,
      variable,
      message: `${field} uses {{ ${variable} }}, which is not defined for this person or event${where(error)}; give it a value or write {{ ${variable} | default: "…" }}`,
    }
  }
  if (error instanceof ParseError || error instanceof TokenizationError) {
    return { kind: 'SyntaxError', field, message: `${field} is not valid Liquid: ${error.message}` }
  }
  return { kind: 'RenderError', field, message: `${field} could not be rendered: ${(error as Error).message}` }
}

function where(error: Error): string {
  const at = error.message.match(/line:(\d+), col:(\d+)/)
  return at ? ` (line ${at[1]}, column ${at[2]})` : ''
}
