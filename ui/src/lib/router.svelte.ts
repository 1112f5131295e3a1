// A tiny in-memory router: the current screen and its parameters, with a back stack.
import type { InitiativeRef, Scope, TouchpointKind } from './backend';

export type Route =
  | { name: 'today' }
  | { name: 'people' }
  | { name: 'person'; id: string }
  | { name: 'timeline' }
  | { name: 'entry'; id: string }
  | { name: 'reflect'; touchpointId: string }
  /** A balance explained: of a person, team or group, or (with `initiative`) within an
   *  initiative, where a `null` scope is everyone in it. */
  | { name: 'explain'; scope: Scope | null; initiative?: InitiativeRef }
  | { name: 'initiatives' }
  | { name: 'initiative'; id: string }
  | { name: 'prompts' }
  | { name: 'exchange' }
  | { name: 'review' }
  | { name: 'review-person'; id: string }
  | { name: 'review-entry'; id: string }
  | { name: 'settings' }
  | { name: 'trash' }
  | { name: 'about' };

/** What the quick-capture dialog keeps as its draft, and restores from it. */
export type CaptureState = {
  kind: TouchpointKind;
  selected: string[];
  when: string;
  notes: string;
  title: string;
  tagText: string;
  team: string;
  isPrivate: boolean;
  /** Ids of the initiatives chosen (absent in drafts kept before initiatives existed). */
  initiatives?: string[];
};

/** Options the quick-capture dialog opens with: a few defaults, or a whole kept draft. */
export type CaptureDefaults = {
  kind?: TouchpointKind;
  personIds?: string[];
  restore?: CaptureState;
};

class Router {
  current = $state<Route>({ name: 'today' });
  #back: Route[] = [];

  /** Shows a screen, remembering the current one for `back()`. */
  go(route: Route): void {
    this.#back.push(this.current);
    if (this.#back.length > 50) this.#back.shift();
    this.current = route;
  }

  /** Returns to the previous screen (Today when there is none). */
  back(): void {
    this.current = this.#back.pop() ?? { name: 'today' };
  }

  /** Forgets everything (on lock). */
  reset(): void {
    this.#back = [];
    this.current = { name: 'today' };
  }
}

export const router = new Router();
