// A small stateful stand-in for the core's change initiatives, answering the initiative IPC
// commands with records shaped by the generated types (install it with
// `installFakeBackend({ initiativeFake: initiativeFake() })`).
import type { BalanceReport } from '../src/lib/bindings/BalanceReport';
import type { Concern } from '../src/lib/bindings/Concern';
import type { ConcernKind } from '../src/lib/bindings/ConcernKind';
import type { Initiative } from '../src/lib/bindings/Initiative';
import type { InitiativeNudge } from '../src/lib/bindings/InitiativeNudge';
import type { InitiativePage } from '../src/lib/bindings/InitiativePage';
import type { NewInitiative } from '../src/lib/bindings/NewInitiative';
import type { NewMeasure } from '../src/lib/bindings/NewMeasure';
import type { NewOutcome } from '../src/lib/bindings/NewOutcome';
import type { OutcomeKind } from '../src/lib/bindings/OutcomeKind';
import type { PlanStep } from '../src/lib/bindings/PlanStep';
import type { StatementSide } from '../src/lib/bindings/StatementSide';

export const ROLLOUT = '01900000-0000-7000-8000-00000000d001';
const ADA = '01900000-0000-7000-8000-00000000a001';
const GRACE = '01900000-0000-7000-8000-00000000a002';
const TP1 = '01900000-0000-7000-8000-00000000b001';
const names: Record<string, string> = { [ADA]: 'Ada Lovelace', [GRACE]: 'Grace Hopper' };

const today = '2025-03-10';
const at = '2025-03-10T09:00:00Z';

function emptyReport(): BalanceReport {
  return {
    balance: 3,
    willingness: 2,
    ability: 1,
    trend_30d: 1,
    trend_90d: 3,
    slipping: false,
    slip_reasons: [],
    fallen_dimension: null,
    slip_events: 0,
    events: [],
    trend_30d_events: 0,
    trend_90d_events: 0,
    series: [],
  };
}

/** Not an initiative command: the main fake answers it. */
export const NOT_MINE = Symbol('not an initiative command');

export type InitiativeFake = {
  /** The pages kept, by initiative id (tests may read and change them). */
  pages: Map<string, InitiativePage>;
  nudges: InitiativeNudge[];
  answer: (cmd: string, args: Record<string, unknown>) => unknown;
};

/** The fake with one running roll-out, "Copilot roll-out", with an open concern of Ada's. */
export function initiativeFake(options: { empty?: boolean } = {}): InitiativeFake {
  const pages = new Map<string, InitiativePage>();
  let n = 0;
  const nextId = (prefix: string) => `${prefix}-${++n}`;
  const ref = (id: string) => ({ id, name: names[id] ?? 'Someone' });

  const pageOf = (i: Initiative): InitiativePage => ({
    initiative: i,
    statements: [],
    guidelines: [],
    concerns: [],
    outcomes: [],
    plan: (
      ['contribution_record', 'exploration', 'guidelines', 'measures', 'training'] as PlanStep[]
    ).map((step) => ({
      step,
      cadence: null,
      hours_per_month: null,
      since: null,
      touchpoints: [],
      periods: [],
      held: 0,
      missed: 0,
    })),
    measures: [],
    entries: [],
    balance: { total: emptyReport(), people: [], teams: [] },
  });

  if (!options.empty) {
    const page = pageOf({
      id: ROLLOUT,
      name: 'Copilot roll-out',
      purpose: 'Faster reviews, same craft.',
      status: 'running',
      starts_on: '2025-02-01',
      review_on: '2025-04-01',
      tag: 'ai-rollout',
      teams: ['Platform'],
      people: [ref(ADA)],
      created_at: at,
    });
    page.concerns.push({
      id: 'concern-ada',
      kind: 'replacement',
      person: ref(ADA),
      touchpoint_id: null,
      text: 'Will this replace code review?',
      raised_at: '2025-02-10T09:00:00Z',
      answered: false,
      answer: null,
      answered_at: null,
    });
    page.balance.people.push({
      person: ref(ADA),
      team: null,
      summary: {
        balance: -2,
        willingness: -1,
        ability: -1,
        trend_30d: -2,
        trend_90d: -2,
        slipping: true,
        slip_reasons: ['sharp_drop'],
        fallen_dimension: 'ability',
        slip_events: 1,
        trend_30d_events: 1,
        trend_90d_events: 1,
        events: 1,
      },
    });
    pages.set(ROLLOUT, page);
  }

  const fake: InitiativeFake = {
    pages,
    nudges: [],
    answer(cmd, sent) {
      // The real shell serialises what it is sent: keep no live proxies of the UI's state.
      const args = JSON.parse(JSON.stringify(sent)) as Record<string, unknown>;
      const page = (id: unknown) => {
        const p = pages.get(String(id));
        if (!p) throw { code: 'not_found', message: 'no such initiative' };
        return p;
      };
      const concern = (id: unknown): Concern => {
        for (const p of pages.values()) {
          const c = p.concerns.find((x) => x.id === id);
          if (c) return c;
        }
        throw { code: 'not_found', message: 'no such concern' };
      };
      switch (cmd) {
        case 'initiatives':
          return [...pages.values()].map((p) => p.initiative);
        case 'initiative_page':
          return structuredClone(page(args.id));
        case 'initiative_balance':
          return page(args.id).balance.total;
        case 'initiative_nudges':
          return fake.nudges;
        case 'add_initiative': {
          const ni = args.initiative as NewInitiative;
          if (!ni.name.trim()) throw { code: 'invalid_input', message: 'the name is empty' };
          const i: Initiative = {
            id: nextId('initiative'),
            name: ni.name,
            purpose: ni.purpose,
            status: ni.status ?? 'planned',
            starts_on: ni.starts_on,
            review_on: ni.review_on,
            tag: 'ai-rollout',
            teams: ni.teams,
            people: ni.people.map(ref),
            created_at: at,
          };
          pages.set(i.id, pageOf(i));
          return i;
        }
        case 'delete_initiative':
          page(args.id);
          pages.delete(args.id as string);
          return null;
        case 'update_initiative': {
          const i = args.initiative as Initiative;
          if (!i.name.trim()) throw { code: 'invalid_input', message: 'the name is empty' };
          page(i.id).initiative = i;
          return i;
        }
        case 'add_statement': {
          const text = String(args.text);
          if (!text) throw { code: 'invalid_input', message: 'the statement is empty' };
          const said = (args.saidOn as string | null) ?? today;
          const s = {
            id: nextId('statement'),
            side: args.side as StatementSide,
            text,
            said_on: said,
            withdrawn_on: null,
            history: [{ text, said_on: said, recorded_at: at }],
          };
          page(args.id).statements.push(s);
          return s;
        }
        case 'restate_statement':
        case 'withdraw_statement': {
          for (const p of pages.values()) {
            const s = p.statements.find((x) => x.id === args.statementId);
            if (!s) continue;
            if (cmd === 'withdraw_statement') {
              s.withdrawn_on = (args.on as string | null) ?? null;
            } else {
              const text = String(args.text);
              if (!text) throw { code: 'invalid_input', message: 'the statement is empty' };
              s.text = text;
              s.said_on = (args.saidOn as string | null) ?? today;
              s.history.push({ text, said_on: s.said_on, recorded_at: at });
            }
            return s;
          }
          throw { code: 'not_found', message: 'no such statement' };
        }
        case 'add_guideline': {
          const text = String(args.text);
          if (!text) throw { code: 'invalid_input', message: 'the guideline is empty' };
          const g = {
            id: nextId('guideline'),
            text,
            shaped_by: (args.shapedBy as string[]).map(ref),
            touchpoint_id: (args.touchpointId as string | null) ?? null,
            agreed_on: (args.agreedOn as string | null) ?? today,
          };
          page(args.id).guidelines.push(g);
          return g;
        }
        case 'add_outcome': {
          const o = args.outcome as NewOutcome;
          const kind = args.kind as OutcomeKind;
          if (!o.what) throw { code: 'invalid_input', message: 'say what happened' };
          if (kind === 'setback' && !o.lesson)
            throw { code: 'invalid_input', message: 'a setback needs its lesson' };
          const out = {
            id: nextId('outcome'),
            kind,
            happened_on: o.happened_on ?? today,
            what: o.what,
            lesson: o.lesson,
            people: o.people.map(ref),
            touchpoints: o.touchpoints,
          };
          page(args.id).outcomes.push(out);
          return out;
        }
        case 'add_concern': {
          const text = String(args.text);
          if (!text) throw { code: 'invalid_input', message: 'the concern is empty' };
          const c: Concern = {
            id: nextId('concern'),
            kind: args.kind as ConcernKind,
            person: ref(String(args.personId)),
            touchpoint_id: (args.touchpointId as string | null) ?? null,
            text,
            raised_at: at,
            answered: false,
            answer: null,
            answered_at: null,
          };
          page(args.id).concerns.push(c);
          return c;
        }
        case 'answer_concern': {
          const c = concern(args.concernId);
          const answer = String(args.answer);
          if (!answer) throw { code: 'invalid_input', message: 'the answer is empty' };
          Object.assign(c, { answered: true, answer, answered_at: at });
          return c;
        }
        case 'reopen_concern': {
          const c = concern(args.concernId);
          Object.assign(c, { answered: false, answer: null, answered_at: null });
          return c;
        }
        case 'plan_step': {
          const s = page(args.id).plan.find((x) => x.step === args.step)!;
          s.cadence = (args.cadence as 'weekly' | 'monthly' | null) ?? null;
          s.hours_per_month = (args.hoursPerMonth as number | null) ?? null;
          s.since = (args.since as string | null) ?? '2025-02-01';
          s.periods = s.cadence
            ? [
                { starts_on: '2025-02-24', ends_on: '2025-03-02', mark: 'missed', entries: 0 },
                { starts_on: '2025-03-03', ends_on: '2025-03-09', mark: 'held', entries: 1 },
                { starts_on: '2025-03-10', ends_on: '2025-03-16', mark: 'pending', entries: 0 },
              ]
            : [];
          s.held = s.cadence ? 1 : 0;
          s.missed = s.cadence ? 1 : 0;
          return s;
        }
        case 'mark_step': {
          const s = page(args.id).plan.find((x) => x.step === args.step)!;
          s.touchpoints.push(String(args.touchpointId));
          return null;
        }
        case 'add_measure': {
          const m = args.measure as NewMeasure;
          for (const v of [m.satisfaction, m.collaboration, m.quality, m.confidence])
            if (v < -2 || v > 2) throw { code: 'invalid_input', message: 'a reading is -2..+2' };
          const out = { id: nextId('measure'), ...m, taken_on: m.taken_on ?? today };
          page(args.id).measures.push(out);
          return out;
        }
        case 'link_initiative': {
          const p = page(args.id);
          const id = String(args.touchpointId);
          p.entries.push({
            id,
            occurred_at: at,
            title: id === TP1 ? 'Weekly one-on-one' : 'An entry',
            private: false,
          });
          return null;
        }
        case 'unlink_initiative': {
          const p = page(args.id);
          p.entries = p.entries.filter((e) => e.id !== args.touchpointId);
          return null;
        }
        case 'export_team_page':
          page(args.id);
          return null;
        default:
          return NOT_MINE;
      }
    },
  };
  return fake;
}
