import mjml2html from 'mjml'

export interface MjmlResult {
  html: string
  /** Validation problems ("line 3, mj-text: Attribute color has invalid value: notacolor"). */
  errors: string[]
}

/**
 * Compiles MJML (https://documentation.mjml.io) to email HTML. Validation is MJML's "soft" level:
 * the document is rendered and every problem reported, so a preview shows both. `mj-include` is
 * ignored — templates never read files.
 *
 * @example const { html, errors } = await compileMjml('<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>')
 */
export async function compileMjml(source: string): Promise<MjmlResult> {
  try {
    const result = await mjml2html(source, { validationLevel: 'soft', ignoreIncludes: true, keepComments: false })
    return {
      html: result.html,
      // MJML's formattedMessage names the process's working directory; ours names line and tag only.
      errors: result.errors.map((e) => `line ${e.line}, ${e.tagName}: ${e.message.trim()}`),
    }
  } catch (error) {
    return { html: '', errors: [`MJML could not be parsed: ${(error as Error).message}`] }
  }
}
