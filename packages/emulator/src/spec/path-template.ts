/** Matches request paths against an OpenAPI path template such as `/v1/{project_id}/items`. */
export class PathTemplate {
  readonly parameterNames: string[] = [];
  private readonly pattern: RegExp;

  constructor(readonly template: string) {
    let source = '^';
    let rest = template;
    for (let match = /\{([^}]+)\}/.exec(rest); match; match = /\{([^}]+)\}/.exec(rest)) {
      source += `${escapeRegExp(rest.slice(0, match.index))}([^/]+)`;
      this.parameterNames.push(match[1] as string);
      rest = rest.slice(match.index + match[0].length);
    }
    this.pattern = new RegExp(`${source + escapeRegExp(rest)}$`);
  }

  /**
   * The percent-decoded parameter values when `pathname` (still encoded, as
   * on the wire) fits the template; undefined when it does not; `null` for a
   * parameter whose encoding is malformed.
   */
  match(pathname: string): Record<string, string | null> | undefined {
    const match = this.pattern.exec(pathname);
    if (!match) return undefined;
    const values: Record<string, string | null> = {};
    this.parameterNames.forEach((name, i) => {
      values[name] = safeDecode(match[i + 1] as string);
    });
    return values;
  }
}

/** The percent-decoded text, or null when its encoding is malformed. */
export function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
