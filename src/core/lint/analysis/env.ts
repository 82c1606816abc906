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

export class Env {
  vars: Map<string, AV>;
  recording: Recording;
  /** TensorFlow tapes recording here (inside their `with` block), by site. */
  tapes: IdSet;
  grads: Map<number, GradBuffer>;
  tapeStates: Map<number, TapeState>;
  /** Unreachable (after return/raise/break/continue). */
  dead: boolean;

  constructor(vars = new Map<string, AV>(), recording: Recording = RECORDING_ON, tapes: IdSet = NO_IDS) {
    this.vars = vars;
    this.recording = recording;
    this.tapes = tapes;
    this.grads = new Map();
    this.tapeStates = new Map();
    this.dead = false;
  }

  copy(): Env {
    const e = new Env(new Map(this.vars), this.recording, this.tapes);
    e.grads = new Map(this.grads);
    e.tapeStates = new Map(this.tapeStates);
    e.dead = this.dead;
    return e;
  }

  static deadEnv(like: Env): Env {
    const e = new Env(new Map(), like.recording, like.tapes);
    e.dead = true;
    return e;
  }

  /** Join another state into this one (in place). Returns whether anything changed. */
  joinIn(o: Env): boolean {
    if (o.dead) return false;
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
  }
}
