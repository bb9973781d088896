import type { DemoState, JsonValue } from './demo-world.js';

// Entity states are edited in place for speed (a million events cannot afford copying every state on
// every change). Anything handed out in `details` is therefore either a copy (creations, CC final
// states) or a value the state no longer holds (replaced and removed values, freshly built objects).

function isObject(value: JsonValue | undefined): value is DemoState {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameValue(a[key], b[key]));
  }
  return false;
}

/** A copy of the state's nested objects; arrays are shared because edits always replace them whole. */
export function snapshot(state: DemoState): DemoState {
  const copy: DemoState = {};
  for (const key in state) {
    const value = state[key] as JsonValue;
    copy[key] = isObject(value) ? snapshot(value) : value;
  }
  return copy;
}

/** Sets `value` at `path` inside `target`, creating intermediate objects; keeps a value already there when `keepFirst`. */
function putIn(target: DemoState, path: readonly string[], value: JsonValue, keepFirst: boolean): void {
  if (path.length === 1) {
    const key = path[0] as string;
    if (!keepFirst || !(key in target)) target[key] = value;
    return;
  }
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = node[key];
    if (isObject(next)) node = next;
    else {
      const created: DemoState = {};
      node[key] = created;
      node = created;
    }
  }
  const leaf = path[path.length - 1] as string;
  if (!keepFirst || !(leaf in node)) node[leaf] = value;
}

/**
 * The edits one audit event makes to an entity: applied to its state at once, and recorded the way
 * platform `details` report them — `new` holds added attributes and new values, `old` holds removed
 * attributes and previous values, nested objects as nested objects, arrays as whole values.
 */
export class StateEdit {
  readonly added: DemoState = {};
  readonly removed: DemoState = {};
  /** Top-level attributes this event edited. */
  readonly touched: string[] = [];
  changed = false;

  constructor(readonly state: DemoState) {}

  get(path: readonly string[]): JsonValue | undefined {
    let node: JsonValue | undefined = this.state;
    for (const key of path) node = isObject(node) ? node[key] : undefined;
    return node;
  }

  private parentOf(path: readonly string[], create: boolean): DemoState | undefined {
    let node = this.state;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as string;
      const next = node[key];
      if (isObject(next)) node = next;
      else if (!create) return undefined;
      else {
        const created: DemoState = {};
        node[key] = created;
        node = created;
      }
    }
    return node;
  }

  set(path: readonly string[], value: JsonValue): void {
    if (path.length === 1) {
      this.setTop(path[0] as string, value);
      return;
    }
    const parent = this.parentOf(path, true) as DemoState;
    const leaf = path[path.length - 1] as string;
    const present = leaf in parent;
    const previous = parent[leaf];
    if (present && sameValue(previous, value)) return;
    // The state keeps its own copy of objects, so later in-place edits never reach this event's details.
    parent[leaf] = isObject(value) ? snapshot(value) : value;
    this.touched.push(path[0] as string);
    putIn(this.added, path, value, false);
    if (present) putIn(this.removed, path, previous as JsonValue, true);
    this.changed = true;
  }

  /** `set` of a top-level attribute: most edits, so without the path walking. */
  private setTop(key: string, value: JsonValue): void {
    const { state } = this;
    const present = key in state;
    const previous = state[key];
    if (present && sameValue(previous, value)) return;
    state[key] = isObject(value) ? snapshot(value) : value;
    this.touched.push(key);
    this.added[key] = value;
    if (present && !(key in this.removed)) this.removed[key] = previous as JsonValue;
    this.changed = true;
  }

  remove(path: readonly string[]): void {
    const parent = this.parentOf(path, false);
    const leaf = path[path.length - 1] as string;
    if (parent === undefined || !(leaf in parent)) return;
    putIn(this.removed, path, parent[leaf] as JsonValue, true);
    this.touched.push(path[0] as string);
    delete parent[leaf];
    this.changed = true;
  }

  /**
   * True when an attribute this event edited now differs from what the entity's previous event showed:
   * its value before this edit, or the value in `shownOverrides` for attributes changed silently since.
   */
  differsFromShown(shownOverrides: DemoState | undefined): boolean {
    return this.touched.some((key) => {
      const overridden = shownOverrides !== undefined && key in shownOverrides;
      const wasPresent = overridden || key in this.removed;
      const isPresent = key in this.state;
      if (wasPresent !== isPresent) return true;
      return isPresent && !sameValue(overridden ? shownOverrides[key] : this.removed[key], this.state[key]);
    });
  }

  /** Platform `details` of an update. */
  oldNew(): { new: DemoState; old: DemoState } {
    return { new: this.added, old: this.removed };
  }
}
