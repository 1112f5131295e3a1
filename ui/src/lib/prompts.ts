// Filling prompt placeholders, exactly as the core's `prompts::render` does.

/** What `{name}` becomes when no name is given. */
export const NAME_FALLBACK = 'this person';
/** What `{team}` becomes when there is no team. */
export const TEAM_FALLBACK = 'the team';

/**
 * Replaces `{name}` and `{team}` in one pass (a name that looks like a placeholder is never
 * expanded again); unknown placeholders and other braces stay as written.
 */
export function renderPrompt(text: string, name: string, team?: string | null): string {
  const n = name.trim() ? name : NAME_FALLBACK;
  const t = team && team.trim() ? team : TEAM_FALLBACK;
  return text.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, word: string) => {
    if (word === 'name') return n;
    if (word === 'team') return t;
    return whole;
  });
}

/** A prompt id (slug) not yet used in a set. */
export function freshPromptId(existing: readonly { id: string }[]): string {
  const taken = new Set(existing.map((p) => p.id));
  for (let i = existing.length + 1; ; i++) {
    const id = `prompt-${i}`;
    if (!taken.has(id)) return id;
  }
}
