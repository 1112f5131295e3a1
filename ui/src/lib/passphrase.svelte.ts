// The one passphrase rule, as the core states it. Every field that sets a new passphrase (a new
// journal, a changed or recovered passphrase, a bundle's passphrase) asks the core through
// `passphrase_strength` and enables its button only once the core has called exactly the text
// in the field acceptable, so the button and the core never disagree.
import * as backend from './backend';
import type { PassphraseStrength } from './backend';

/** Milliseconds of quiet typing before the core is asked. */
const PAUSE_MS = 120;

export class PassphraseCheck {
  /** The core's latest verdict (on the text last asked about), for the strength meter. */
  strength = $state<PassphraseStrength | null>(null);
  /** The text `strength` is about. */
  #rated = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ticket = 0;

  /** Asks the core about `value` after a short pause; an empty field clears the meter. */
  ask(value: string): void {
    clearTimeout(this.#timer);
    const ticket = ++this.#ticket;
    if (!value) {
      this.strength = null;
      this.#rated = null;
      return;
    }
    this.#timer = setTimeout(() => {
      backend
        .passphraseStrength(value)
        .then((s) => {
          if (ticket !== this.#ticket) return;
          this.strength = s;
          this.#rated = value;
        })
        .catch(() => {
          // No verdict, no button: the core has not said the passphrase is acceptable.
          if (ticket !== this.#ticket) return;
          this.strength = null;
          this.#rated = null;
        });
    }, PAUSE_MS);
  }

  /** Whether the core called exactly `value` acceptable as a new passphrase. */
  acceptable(value: string): boolean {
    return value !== '' && this.#rated === value && this.strength?.acceptable === true;
  }

  /** Forgets the verdict (after the passphrase was used, or the form closed). */
  reset(): void {
    clearTimeout(this.#timer);
    this.#ticket++;
    this.strength = null;
    this.#rated = null;
  }
}
