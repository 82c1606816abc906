/**
 * The abstract state at one program point: the values of the local variables, whether autograd
 * records, which TensorFlow tapes record, and per-object states the analysis follows through the code
 * (a leaf's `.grad` buffer, a tape's uses). Copied at branches, joined where paths meet.
 */
import type { Recording } from './events';
import { BOTTOM, join, sameValue, union, type AV, type IdSet, NO_IDS, sameIds } from './values';

/** Which backward calls filled a leaf's `.grad` since it was last zeroed, and whether it was zeroed. */
export interface GradBuffer {
  /** Backward sites since the last zeroing (on some path). */
  readonly fills: IdSet;
  /** Zeroed (or never filled) on some path. */
  readonly zeroed: boolean;
  /** Filled at least twice without zeroing in between, on some path. */
  readonly accumulated: boolean;
}

export interface TapeState {
  /** Gradient calls made on the tape so far (on some path), sites. */
  readonly uses: IdSet;
  /** Sources watched (`tape.watch(x)`): leaf-like sites. */
  readonly watched: IdSet;
}

export const RECORDING_ON: Recording = Object.freeze({ mode: 'on', site: null, why: '' });

/** Values nested deeper or wider than this are not indexed: their variable is always a candidate. */
const INDEX_NODES = 64;

/**
 * Which variables may hold a tensor (at the top or inside a tuple/list) whose facts name a site: a
 * graph's model-call or derivative site (`hist`), a parameter (`params`), an operation that saved it
 * (`saved`). After a backward, an optimizer step or a comparison the analysis updates the variables that
 * hold such a tensor; scanning every variable made that O(variables) per statement, and a notebook
 * exported as a script (thousands of module-level names, a backward per cell) quadratic in its length.
 *
 * An over-approximation: a name is added whenever a value naming the site is bound to it and never
 * removed (the caller re-checks the current value), so it holds for every copy and join of the
 * environments that share it. One index is shared by an environment and all its copies.
 */
export class SiteIndex {
  private readonly bySite = new Map<number, Set<string>>();
  /** Names that held a tensor with parameters and a graph (an optimizer step with unknown parameters). */
  private readonly withParams = new Set<string>();
  /** Names whose value was too large to index. */
  private readonly always = new Set<string>();

  add(name: string, v: AV): void {
    let budget = INDEX_NODES;
    const visit = (x: AV): boolean => {
      if (--budget < 0) return false;
      const t = x.t;
      if (t) {
        if (t.params.length > 0 && t.hist.length > 0) this.withParams.add(name);
        for (const ids of [t.hist, t.params, t.saved]) {
          for (const id of ids) {
            let s = this.bySite.get(id);
            if (!s) this.bySite.set(id, (s = new Set()));
            s.add(name);
          }
        }
      }
      if (x.items) for (const i of x.items) if (!visit(i)) return false;
      if (x.elem && !visit(x.elem)) return false;
      return true;
    };
    if (!visit(v)) this.always.add(name);
  }

  /** Names that may hold a tensor naming one of `sites` (all names with parameters and a graph for null). */
  candidates(sites: Iterable<number> | null): Set<string> {
    const out = new Set(this.always);
    if (sites === null) {
      for (const n of this.withParams) out.add(n);
      return out;
    }
    for (const id of sites) {
      const s = this.bySite.get(id);
      if (s) for (const n of s) out.add(n);
    }
    return out;
  }

  /** Names that may hold a tensor naming a site with an id from `lo` to `hi`. */
  candidatesInRange(lo: number, hi: number): Set<string> {
    const out = new Set(this.always);
    const add = (s: Set<string> | undefined): void => {
      if (s) for (const n of s) out.add(n);
    };
    if (hi - lo < this.bySite.size) for (let id = lo; id <= hi; id++) add(this.bySite.get(id));
    else for (const [id, s] of this.bySite) if (id >= lo && id <= hi) add(s);
    return out;
  }
}

export class Env {
  vars: Map<string, AV>;
  recording: Recording;
  /** TensorFlow tapes recording here (inside their `with` block), by site. */
  tapes: IdSet;
  grads: Map<number, GradBuffer>;
  tapeStates: Map<number, TapeState>;
  /** Unreachable (after return/raise/break/continue). */
  dead: boolean;

  /** Shared with this environment's copies; see SiteIndex. */
  readonly index: SiteIndex;

  constructor(vars = new Map<string, AV>(), recording: Recording = RECORDING_ON, tapes: IdSet = NO_IDS, index?: SiteIndex) {
    this.vars = vars;
    if (index) this.index = index;
    else {
      this.index = new SiteIndex();
      for (const [k, v] of vars) this.index.add(k, v);
    }
    this.recording = recording;
    this.tapes = tapes;
    this.grads = new Map();
    this.tapeStates = new Map();
    this.dead = false;
  }

  copy(): Env {
    const e = new Env(new Map(this.vars), this.recording, this.tapes, this.index);
    e.grads = new Map(this.grads);
    e.tapeStates = new Map(this.tapeStates);
    e.dead = this.dead;
    return e;
  }

  static deadEnv(like: Env): Env {
    const e = new Env(new Map(), like.recording, like.tapes, like.index);
    e.dead = true;
    return e;
  }

  /** Join another state into this one (in place). Returns whether anything changed. */
  joinIn(o: Env): boolean {
    if (o.dead) return false;
    if (o.index !== this.index) this.indexAll(o.vars);
    if (this.dead) {
      this.vars = new Map(o.vars);
      this.grads = new Map(o.grads);
      this.tapeStates = new Map(o.tapeStates);
      this.recording = o.recording;
      this.tapes = o.tapes;
      this.dead = false;
      return true;
    }
    let changed = false;
    for (const [k, v] of o.vars) {
      const mine = this.vars.get(k);
      if (!mine) {
        this.vars.set(k, v);
        changed = true;
      } else if (mine !== v) {
        const j = join(mine, v);
        if (j !== mine && !sameValue(j, mine)) {
          this.vars.set(k, j);
          changed = true;
        }
      }
    }
    for (const [k, g] of o.grads) {
      const mine = this.grads.get(k);
      if (!mine) {
        this.grads.set(k, { ...g, zeroed: true });
        changed = true;
      } else {
        const j: GradBuffer = { fills: union(mine.fills, g.fills), zeroed: mine.zeroed || g.zeroed, accumulated: mine.accumulated || g.accumulated };
        if (!sameIds(j.fills, mine.fills) || j.zeroed !== mine.zeroed || j.accumulated !== mine.accumulated) {
          this.grads.set(k, j);
          changed = true;
        }
      }
    }
    for (const [k, g] of this.grads) {
      if (!o.grads.has(k) && !g.zeroed) {
        this.grads.set(k, { ...g, zeroed: true });
        changed = true;
      }
    }
    for (const [k, s] of o.tapeStates) {
      const mine = this.tapeStates.get(k);
      if (!mine) {
        this.tapeStates.set(k, s);
        changed = true;
      } else {
        const j: TapeState = { uses: union(mine.uses, s.uses), watched: union(mine.watched, s.watched) };
        if (!sameIds(j.uses, mine.uses) || !sameIds(j.watched, mine.watched)) {
          this.tapeStates.set(k, j);
          changed = true;
        }
      }
    }
    return changed;
  }

  get(name: string): AV | undefined {
    return this.vars.get(name);
  }

  set(name: string, v: AV): void {
    this.vars.set(name, v === BOTTOM ? v : v);
    this.index.add(name, v);
  }

  /** Index variables that came from an environment with another index. */
  indexAll(vars: Map<string, AV>): void {
    for (const [k, v] of vars) this.index.add(k, v);
  }
}
