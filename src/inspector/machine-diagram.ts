import type { AnyStateMachine } from "xstate";

/** The parts of an XState v5 state node the drawing reads. */
interface StateNodeView {
  readonly id: string;
  readonly key: string;
  readonly type: "atomic" | "compound" | "parallel" | "final" | "history";
  readonly parent?: StateNodeView | undefined;
  readonly initial?: { readonly target?: readonly StateNodeView[] } | undefined;
  readonly states: Readonly<Record<string, StateNodeView>>;
  readonly transitions: ReadonlyMap<string, readonly { readonly target?: readonly StateNodeView[] | undefined }[]>;
}

interface Box {
  readonly node: StateNodeView;
  readonly path: string;
  width: number;
  height: number;
  x: number;
  y: number;
  readonly children: Box[];
}

const CHAR_WIDTH = 7.2;
const ATOMIC_HEIGHT = 30;
const LABEL_HEIGHT = 22;
const PAD = 10;
const COLUMN_GAP = 46;
const ROW_GAP = 14;
/** Room above the states for the arcs of transitions that skip a column. */
const TOP_MARGIN = 36;

/** The state's path below the machine (`running.streaming`); `""` for the machine itself. */
function pathOf(node: StateNodeView): string {
  if (node.parent === undefined) return "";
  const parent = pathOf(node.parent);
  return parent === "" ? node.key : `${parent}.${node.key}`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Whether `node` is `ancestor` or below it. */
function within(node: StateNodeView, ancestor: StateNodeView): boolean {
  for (let at: StateNodeView | undefined = node; at !== undefined; at = at.parent) if (at === ancestor) return true;
  return false;
}

/** The child of `parent` that holds `node`, if any. */
function childHolding(parent: StateNodeView, node: StateNodeView): StateNodeView | undefined {
  return Object.values(parent.states).find((child) => within(node, child));
}

function* transitionsBelow(node: StateNodeView): Generator<[StateNodeView, string, StateNodeView]> {
  for (const [event, transitions] of node.transitions) {
    for (const transition of transitions) for (const target of transition.target ?? []) yield [node, event, target];
  }
  for (const child of Object.values(node.states)) yield* transitionsBelow(child);
}

/**
 * Columns of a node's children: the longest way from the initial child along the transitions between them
 * (transitions back to a state already on the way are left out, so loops do not push states right).
 */
function ranks(parent: StateNodeView): Map<StateNodeView, number> {
  const children = Object.values(parent.states);
  const next = new Map<StateNodeView, Set<StateNodeView>>(children.map((child) => [child, new Set()]));
  for (const child of children) {
    for (const [, , target] of transitionsBelow(child)) {
      const to = childHolding(parent, target);
      if (to !== undefined && to !== child) next.get(child)!.add(to);
    }
    // Transitions of the parent itself apply in every child that is not final.
    if (child.type === "final") continue;
    for (const [, transitions] of parent.transitions) {
      for (const transition of transitions) {
        for (const target of transition.target ?? []) {
          const to = childHolding(parent, target);
          if (to !== undefined && to !== child) next.get(child)!.add(to);
        }
      }
    }
  }
  const first = parent.initial?.target?.[0];
  const start = first === undefined ? children[0] : childHolding(parent, first);
  const rank = new Map<StateNodeView, number>();
  if (start === undefined) return rank;
  // Depth first: edges to a state on the current path are loops, left out; the rest form a DAG.
  const forward = new Map<StateNodeView, StateNodeView[]>(children.map((child) => [child, []]));
  const onPath = new Set<StateNodeView>();
  const done = new Set<StateNodeView>();
  const order: StateNodeView[] = [];
  const visit = (at: StateNodeView): void => {
    onPath.add(at);
    for (const to of next.get(at) ?? []) {
      if (onPath.has(to)) continue;
      forward.get(at)!.push(to);
      if (!done.has(to)) visit(to);
    }
    onPath.delete(at);
    done.add(at);
    order.push(at);
  };
  visit(start);
  rank.set(start, 0);
  for (const at of order.reverse()) {
    for (const to of forward.get(at) ?? []) rank.set(to, Math.max(rank.get(to) ?? 0, (rank.get(at) ?? 0) + 1));
  }
  const last = Math.max(0, ...rank.values());
  for (const child of children) if (!rank.has(child)) rank.set(child, last + 1);
  return rank;
}

function measure(node: StateNodeView): Box {
  const children = Object.values(node.states).map(measure);
  const label = node.key.length * CHAR_WIDTH + 2 * PAD;
  if (children.length === 0)
    return { node, path: pathOf(node), width: Math.max(label, 64), height: ATOMIC_HEIGHT, x: 0, y: 0, children };
  const rank = ranks(node);
  const columns: Box[][] = [];
  for (const child of children) (columns[rank.get(child.node) ?? 0] ??= []).push(child);
  let x = PAD;
  let height = 0;
  const placed = Object.values(columns); // the columns in order, without the holes of ranks no state has
  for (const column of placed) {
    const width = Math.max(...column.map((box) => box.width));
    let y = 0;
    for (const box of column) {
      box.x = x + (width - box.width) / 2;
      box.y = y;
      y += box.height + ROW_GAP;
    }
    height = Math.max(height, y - ROW_GAP);
    x += width + COLUMN_GAP;
  }
  // Centre each column vertically.
  for (const column of placed) {
    const columnHeight = column.reduce((sum, box) => sum + box.height, 0) + ROW_GAP * (column.length - 1);
    for (const box of column) box.y += (height - columnHeight) / 2 + LABEL_HEIGHT;
  }
  const isRoot = node.parent === undefined;
  return {
    node,
    path: pathOf(node),
    width: Math.max(x - COLUMN_GAP + PAD, label),
    height: height + LABEL_HEIGHT + PAD - (isRoot ? LABEL_HEIGHT - PAD : 0),
    x: 0,
    y: 0,
    children,
  };
}

function absolute(box: Box, dx: number, dy: number, out: Map<StateNodeView, Box>): void {
  box.x += dx;
  box.y += dy;
  out.set(box.node, box);
  for (const child of box.children) absolute(child, box.x, box.y, out);
}

/**
 * Draws a machine's states as an SVG (boxes laid out left to right in the order the transitions lead, nested
 * states inside their parent, arrows for transitions). Each state is a `<g class="state" data-state="path">`
 * (e.g. `running.streaming`), so a page can highlight the current state by adding a class.
 */
export function drawMachine(machine: AnyStateMachine): string {
  const root = machine.root as unknown as StateNodeView;
  const layout = measure(root);
  const boxes = new Map<StateNodeView, Box>();
  absolute(layout, 0, TOP_MARGIN - (LABEL_HEIGHT - PAD), boxes);
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height + TOP_MARGIN + 2);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="machine" data-machine="${escape(machine.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(machine.id)} machine">`,
    `<defs><marker id="arrow-${escape(machine.id)}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="arrowhead"/></marker></defs>`,
  ];
  const drawBox = (box: Box): void => {
    if (box.node !== root) {
      const kind = box.children.length > 0 ? "compound" : box.node.type === "final" ? "final" : "atomic";
      parts.push(`<g class="state ${kind}" data-state="${escape(box.path)}">`);
      parts.push(`<title>${escape(box.path)}</title>`);
      parts.push(
        `<rect x="${box.x.toFixed(1)}" y="${box.y.toFixed(1)}" width="${box.width.toFixed(1)}" height="${box.height.toFixed(1)}" rx="8"/>`,
      );
      const textY = box.children.length > 0 ? box.y + 15 : box.y + box.height / 2 + 4;
      parts.push(
        `<text x="${(box.x + box.width / 2).toFixed(1)}" y="${textY.toFixed(1)}">${escape(box.node.key)}</text>`,
      );
      parts.push("</g>");
    }
    for (const child of box.children) drawBox(child);
  };
  drawBox(layout);
  const seen = new Set<string>();
  const topLevel = Object.values(root.states).filter((state) => state.type !== "final");
  for (const [from, event, target] of transitionsBelow(root)) {
    // The machine's own transitions apply in every state that is not final: drawn from each.
    for (const source of from === root ? topLevel : [from]) {
      if (source === target || within(target, source) || within(source, target)) continue;
      const a = boxes.get(source);
      const b = boxes.get(target);
      if (a === undefined || b === undefined) continue;
      const key = `${a.path}>${b.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      parts.push(arrow(a, b, event, machine.id));
    }
  }
  parts.push("</svg>");
  return parts.join("");
}

function arrow(a: Box, b: Box, event: string, machineId: string): string {
  const title = `<title>${escape(a.path)} → ${escape(b.path)}: ${escape(event)}</title>`;
  const marker = `marker-end="url(#arrow-${escape(machineId)})"`;
  const forward = b.x >= a.x + a.width;
  const sameRow = Math.abs(a.y + a.height / 2 - (b.y + b.height / 2)) < 4;
  let d: string;
  if (forward && sameRow && b.x - (a.x + a.width) > COLUMN_GAP + 1) {
    // Skips a column on the same row: an arc over the states in between.
    const x1 = a.x + a.width / 2;
    const x2 = b.x + b.width / 2;
    const top = Math.min(a.y, b.y);
    const lift = Math.min(TOP_MARGIN - 4, 10 + (x2 - x1) / 12);
    d = `M${f(x1)},${f(top)} C${f(x1)},${f(top - lift)} ${f(x2)},${f(top - lift)} ${f(x2)},${f(top)}`;
  } else if (forward) {
    const x1 = a.x + a.width;
    const y1 = a.y + a.height / 2;
    const x2 = b.x;
    const y2 = b.y + b.height / 2;
    const mid = x1 + (x2 - x1) / 2;
    d = `M${f(x1)},${f(y1)} C${f(mid)},${f(y1)} ${f(mid)},${f(y2)} ${f(x2)},${f(y2)}`;
  } else {
    const x1 = a.x + a.width / 2;
    const y1 = b.y > a.y ? a.y + a.height : a.y;
    const x2 = b.x + b.width / 2;
    const y2 = b.y > a.y ? b.y : b.y + b.height;
    d = `M${f(x1)},${f(y1)} Q${f((x1 + x2) / 2 + 24)},${f((y1 + y2) / 2)} ${f(x2)},${f(y2)}`;
  }
  return `<path class="transition" d="${d}" ${marker}>${title}</path>`;
}

function f(n: number): string {
  return n.toFixed(1);
}

/**
 * The state paths a state value is in, outermost first: `{ running: "streaming" }` → `["running",
 * "running.streaming"]`.
 */
export function activePaths(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix === "" ? value : `${prefix}.${value}`];
  if (value === null || typeof value !== "object") return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    out.push(path, ...activePaths(child, path));
  }
  return out;
}
