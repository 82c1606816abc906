/**
 * The abstract state at one program point: the values of the local variables, whether autograd
 * records, which TensorFlow tapes record, and per-object states the analysis follows through the code
 * (a leaf's `.grad` buffer, a tape's uses). Copied at branches, joined where paths meet.
 */
import type { Recording } from './events';
import { PMap } from './pmap';
import { BOTTOM, join, sameValue, union, type AV, type IdSet, NO_IDS, sameIds } from './values';

/** The ids both sets hold (sorted, as IdSets are). */
function intersect(a: IdSet, b: IdSet): IdSet {
  if (a === b) return a;
  return a.filter((x) => b.includes(x));
}

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

/** Whether autograd records nothing here (`no_grad`, inference mode). */
export function recordingOff(r: Recording): boolean {
  return r.mode === 'off' || r.mode === 'inference';
}

/** Prefix of the keys under which a method's `self.<name>` values are kept (no Python name contains a dot). */
export const SELF_KEY_PREFIX = 'self.';

/** A `.grad` buffer nothing has filled since it was reset (`x.grad = None`, a fresh leaf). */
export const CLEARED_GRAD: GradBuffer = Object.freeze({ fills: NO_IDS, zeroed: true, accumulated: false });

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
  /** Names the caller will never need again (dropped from the sets as they are met). */
  private readonly retired = new Set<string>();

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
    const out = new Set<string>();
    this.addLive(this.always, out);
    if (sites === null) {
      this.addLive(this.withParams, out);
      return out;
    }
    for (const id of sites) {
      const s = this.bySite.get(id);
      if (s) this.addLive(s, out);
    }
    return out;
  }

  /**
   * The variable `name` is never read again where this index is used (a module-level name no later code
   * reads): leave it out of the candidates from now on. Each retired name is removed from a set once.
   */
  retire(name: string): void {
    this.retired.add(name);
  }

  private addLive(from: Set<string>, out: Set<string>): void {
    for (const n of from) {
      if (this.retired.size > 0 && this.retired.has(n)) from.delete(n);
      else out.add(n);
    }
  }

  /** Names that may hold a tensor naming a site with an id from `lo` to `hi`. */
  candidatesInRange(lo: number, hi: number): Set<string> {
    const out = new Set<string>();
    this.addLive(this.always, out);
    const add = (s: Set<string> | undefined): void => {
      if (s) this.addLive(s, out);
    };
    if (hi - lo < this.bySite.size) for (let id = lo; id <= hi; id++) add(this.bySite.get(id));
    else for (const [id, s] of this.bySite) if (id >= lo && id <= hi) add(s);
    return out;
  }
}

export class Env {
  /** Persistent maps (see pmap.ts): a copy shares them, a join visits only what differs. */
  vars: PMap<string, AV>;
  recording: Recording;
  /** TensorFlow tapes recording here (inside their `with` block), by site. */
  tapes: IdSet;
  grads: PMap<number, GradBuffer>;
  tapeStates: PMap<number, TapeState>;
  /**
   * Parameter sites frozen on every path here (`p.requires_grad = False` in a loop over a model's parameters,
   * `p.requires_grad_(False)`, `model.requires_grad_(False)`): a model call leaves them out of its result.
   */
  frozen: IdSet;
  /** Unreachable (after return/raise/break/continue). */
  dead: boolean;

  /** Shared with this environment's copies; see SiteIndex. */
  readonly index: SiteIndex;

  constructor(vars: Map<string, AV> | PMap<string, AV> = new PMap(), recording: Recording = RECORDING_ON, tapes: IdSet = NO_IDS, index?: SiteIndex) {
    this.vars = vars instanceof PMap ? vars : PMap.from(vars);
    if (index) this.index = index;
    else {
      this.index = new SiteIndex();
      for (const [k, v] of this.vars) this.index.add(k, v);
    }
    this.recording = recording;
    this.tapes = tapes;
    this.grads = new PMap();
    this.tapeStates = new PMap();
    this.frozen = NO_IDS;
    this.dead = false;
  }

  copy(): Env {
    const e = new Env(this.vars.copy(), this.recording, this.tapes, this.index);
    e.grads = this.grads.copy();
    e.tapeStates = this.tapeStates.copy();
    e.frozen = this.frozen;
    e.dead = this.dead;
    return e;
  }

  static deadEnv(like: Env): Env {
    const e = new Env(new PMap(), like.recording, like.tapes, like.index);
    e.dead = true;
    return e;
  }

  /** Join another state into this one (in place). Returns whether anything changed. */
  joinIn(o: Env): boolean {
    if (o.dead) return false;
    if (o.index !== this.index) this.indexAll(o.vars);
    if (this.dead) {
      this.vars = o.vars.copy();
      this.grads = o.grads.copy();
      this.tapeStates = o.tapeStates.copy();
      this.frozen = o.frozen;
      this.recording = o.recording;
      this.tapes = o.tapes;
      this.dead = false;
      return true;
    }
    // Only the entries the two states do not share are visited (the same decisions as a join of every entry:
    // an identical value never changes anything).
    let changed = this.vars.joinFrom(o.vars, (mine, v) => {
      if (!mine) return v;
      const j = join(mine, v);
      return j !== mine && !sameValue(j, mine) ? j : undefined;
    });
    changed =
      this.grads.joinFrom(
        o.grads,
        (mine, g) => {
          if (!mine) return { ...g, zeroed: true };
          const j: GradBuffer = { fills: union(mine.fills, g.fills), zeroed: mine.zeroed || g.zeroed, accumulated: mine.accumulated || g.accumulated };
          return !sameIds(j.fills, mine.fills) || j.zeroed !== mine.zeroed || j.accumulated !== mine.accumulated ? j : undefined;
        },
        (g) => (g.zeroed ? undefined : { ...g, zeroed: true }),
      ) || changed;
    changed =
      this.tapeStates.joinFrom(o.tapeStates, (mine, st) => {
        if (!mine) return st;
        const j: TapeState = { uses: union(mine.uses, st.uses), watched: union(mine.watched, st.watched) };
        return !sameIds(j.uses, mine.uses) || !sameIds(j.watched, mine.watched) ? j : undefined;
      }) || changed;
    // A grad mode switched by a statement (`torch.set_grad_enabled(False)`) on one path only: unknown after the merge.
    if (o.recording.mode !== this.recording.mode && this.recording.mode !== 'unknown') {
      this.recording = { mode: 'unknown', site: o.recording.site ?? this.recording.site, why: o.recording.why || this.recording.why };
      changed = true;
    }
    // Frozen only where frozen on both paths (a critic unfrozen at the top of each loop round is not frozen there).
    const f = intersect(this.frozen, o.frozen);
    if (!sameIds(f, this.frozen)) {
      this.frozen = f;
      changed = true;
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
  indexAll(vars: PMap<string, AV>): void {
    for (const [k, v] of vars) this.index.add(k, v);
  }
}
