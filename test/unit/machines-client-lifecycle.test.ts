import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { createActor, fromPromise, SimulatedClock, waitFor } from "xstate";
import type { Connection } from "../../src/client/connection.js";
import { BinaryNotFoundError, RestartsExhaustedError } from "../../src/errors/index.js";
import { clientLifecycleMachine, type ClientLifecycleEmitted } from "../../src/machines/client-lifecycle.js";
import { resolveRestartPolicy, type RestartPolicy } from "../../src/machines/restart-policy.js";

type Actors = Parameters<typeof clientLifecycleMachine.provide>[0]["actors"];

const connection = (name: string) => ({ name }) as unknown as Connection;

function run(actors: Partial<NonNullable<Actors>> = {}, restart?: RestartPolicy | boolean) {
  const machine = clientLifecycleMachine.provide({
    actors: {
      start: fromPromise<Connection>(async () => connection("first")),
      stop: fromPromise<void, { connection: Connection | null }>(async () => {}),
      ...actors,
    },
  });
  const errors: unknown[] = [];
  const emitted: ClientLifecycleEmitted[] = [];
  const clock = new SimulatedClock();
  const actor = createActor(machine, { input: { restart: resolveRestartPolicy(restart) }, clock });
  actor.subscribe({ error: (err) => errors.push(err) });
  actor.on("*", (event) => emitted.push(event));
  actor.start();
  return { actor, errors, emitted, clock };
}

/** A start actor that answers from a script: a connection, or an error to throw. */
function scripted(results: (Connection | Error)[]) {
  let calls = 0;
  const actor = fromPromise<Connection>(async () => {
    const next = results[calls++] ?? new Error(`start ${calls} was not scripted`);
    if (next instanceof Error) throw next;
    return next;
  });
  return { actor, calls: () => calls };
}

const NO_JITTER = { backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 } };

test("the client starts idle and spawns nothing until started", () => {
  let started = 0;
  const { actor } = run({ start: fromPromise<Connection>(async () => (started++, connection("x"))) });
  assert.equal(actor.getSnapshot().value, "idle");
  assert.equal(started, 0);
});

test("start → ready once the start actor resolves, and the machine holds the connection it gave", async () => {
  const { actor, errors } = run();
  actor.send({ type: "start" });
  assert.equal(actor.getSnapshot().value, "starting");
  const ready = await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  assert.deepEqual(ready.context.connection, connection("first"));
  assert.equal(ready.context.everReady, true);
  assert.deepEqual(errors, []);
});

test("a failing first start is not final: back to idle with the error, and the next start tries again", async () => {
  const boom = new Error("spawn failed");
  const start = scripted([boom, connection("second")]);
  const { actor } = run({ start: start.actor });
  actor.send({ type: "start" });
  const idle = await waitFor(actor, (s) => s.matches("idle"), { timeout: 1000 });
  assert.equal(idle.context.error, boom);
  assert.equal(idle.can({ type: "start" }), true);
  actor.send({ type: "start" });
  assert.equal(actor.getSnapshot().context.error, null, "a new start clears the old error");
  const ready = await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  assert.deepEqual(ready.context.connection, connection("second"));
  assert.equal(start.calls(), 2);
});

test("close from idle goes straight to closed without spawning or stopping", () => {
  let stops = 0;
  const { actor } = run({
    stop: fromPromise<void, { connection: Connection | null }>(async () => {
      stops++;
    }),
  });
  actor.send({ type: "close" });
  assert.equal(actor.getSnapshot().value, "closed");
  assert.equal(actor.getSnapshot().status, "done");
  assert.equal(stops, 0);
});

test("close during starting aborts the start actor's signal and ends closed", async () => {
  let aborted = false;
  const { actor } = run({
    start: fromPromise<Connection>(
      ({ signal }) =>
        new Promise<Connection>((resolve) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            resolve(connection("late"));
          });
        }),
    ),
  });
  actor.send({ type: "start" });
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.equal(aborted, true);
});

test("without a restart policy a lost connection in ready moves to failed; close from failed still stops and ends closed", async () => {
  const stopped: (Connection | null)[] = [];
  const { actor, emitted } = run({
    stop: fromPromise<void, { connection: Connection | null }>(
      async ({ input }) => void stopped.push(input.connection),
    ),
  });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  const lost = new Error("app-server exited with code 1");
  actor.send({ type: "connection.lost", error: lost });
  assert.equal(actor.getSnapshot().value, "failed");
  assert.equal(actor.getSnapshot().context.error, lost);
  assert.equal(actor.getSnapshot().context.connection, null, "a dead connection is not kept");
  assert.equal(actor.getSnapshot().can({ type: "start" }), false, "failed after a loss is final until close");
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.deepEqual(stopped, [null]);
  assert.deepEqual(emitted, []);
});

test("the stop actor gets the connection the machine holds", async () => {
  const stopped: (Connection | null)[] = [];
  const { actor } = run({
    stop: fromPromise<void, { connection: Connection | null }>(
      async ({ input }) => void stopped.push(input.connection),
    ),
  });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "close" });
  const closed = await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.deepEqual(stopped, [connection("first")]);
  assert.equal(closed.context.connection, null);
});

test("a stop actor that throws still ends closed, and the actor reports no error", async () => {
  const { actor, errors } = run({
    stop: fromPromise<void, { connection: Connection | null }>(async () => {
      throw new Error("kill failed");
    }),
  });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.deepEqual(errors, []);
});

test("a second close while closing changes nothing", async () => {
  let stops = 0;
  const { actor } = run({
    stop: fromPromise<void, { connection: Connection | null }>(async () => {
      stops++;
    }),
  });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "close" });
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.equal(stops, 1);
});

test("with a restart policy a loss waits out the backoff (a delayed transition), starts a new connection and is ready again", async () => {
  const start = scripted([connection("first"), connection("second")]);
  const { actor, emitted, clock } = run({ start: start.actor }, NO_JITTER);
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  const lost = new Error("killed");
  actor.send({ type: "connection.lost", error: lost });
  const waiting = actor.getSnapshot();
  assert.deepEqual(waiting.value, { reconnecting: "backoff" });
  assert.equal(waiting.context.connection, null);
  assert.equal(waiting.context.attempt, 1);
  assert.equal(waiting.context.delayMs, 100);
  assert.deepEqual(waiting.context.causes, [lost]);
  assert.deepEqual(emitted, [{ type: "restarting", attempt: 1, delayMs: 100, error: lost }]);
  clock.increment(99);
  assert.deepEqual(actor.getSnapshot().value, { reconnecting: "backoff" }, "nothing starts before the backoff is over");
  assert.equal(start.calls(), 1);
  clock.increment(1);
  assert.deepEqual(actor.getSnapshot().value, { reconnecting: "restarting" });
  const ready = await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  assert.deepEqual(ready.context.connection, connection("second"));
  assert.equal(ready.context.restarts, 1);
  assert.equal(ready.context.error, null);
  assert.equal(start.calls(), 2);
  const restarted = emitted.at(-1);
  assert.equal(restarted?.type, "restarted");
  assert.equal(restarted.type === "restarted" && restarted.attempt, 1);
});

test("every attempt failing gives up into failed with one error that carries every cause, the waits growing by the factor", async () => {
  const causes = [new Error("attempt 1"), new Error("attempt 2"), new Error("attempt 3")];
  const start = scripted([connection("first"), ...causes]);
  const { actor, emitted, clock } = run({ start: start.actor }, { maxRestarts: 3, ...NO_JITTER });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  const lost = new Error("killed");
  actor.send({ type: "connection.lost", error: lost });
  for (const wait of [100, 200, 400]) {
    assert.equal(actor.getSnapshot().context.delayMs, wait);
    clock.increment(wait);
    await waitFor(actor, (s) => !s.matches({ reconnecting: "restarting" }), { timeout: 1000 });
  }
  const failed = actor.getSnapshot();
  assert.equal(failed.value, "failed");
  assert.ok(failed.context.error instanceof RestartsExhaustedError);
  assert.deepEqual(failed.context.error.causes, [lost, ...causes]);
  assert.equal(failed.context.error.attempts, 3);
  assert.match(
    failed.context.error.message,
    /3 attempts failed \(lost: killed; attempt 1: attempt 1; attempt 2: attempt 2; attempt 3: attempt 3\)/,
  );
  assert.equal(start.calls(), 4, "exactly maxRestarts attempts, no more");
  assert.deepEqual(
    emitted.map((event) => [event.type, event.type === "restarting" ? event.delayMs : null]),
    [
      ["restarting", 100],
      ["restarting", 200],
      ["restarting", 400],
    ],
  );
});

test("a connection lost during the handshake of a restart counts as a failed attempt", async () => {
  let release: ((connection: Connection) => void) | undefined;
  let calls = 0;
  const { actor, clock } = run(
    {
      start: fromPromise<Connection>(async () => {
        calls++;
        if (calls === 1) return connection("first");
        if (calls === 3) return connection("third");
        return new Promise<Connection>((resolve) => (release = resolve));
      }),
    },
    { maxRestarts: 2, ...NO_JITTER },
  );
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "connection.lost", error: new Error("killed") });
  clock.increment(100);
  assert.deepEqual(actor.getSnapshot().value, { reconnecting: "restarting" });
  actor.send({ type: "connection.lost", error: new Error("killed again, mid-handshake") });
  assert.deepEqual(actor.getSnapshot().value, { reconnecting: "backoff" });
  assert.equal(actor.getSnapshot().context.attempt, 2);
  release?.(connection("orphan"));
  clock.increment(200);
  const ready = await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  assert.deepEqual(ready.context.connection, connection("third"), "the start that was cut off does not count");
  assert.equal(calls, 3);
});

test("close during the backoff ends closed at once and starts nothing more", async () => {
  const start = scripted([connection("first"), connection("second")]);
  const stopped: (Connection | null)[] = [];
  const { actor, clock } = run(
    {
      start: start.actor,
      stop: fromPromise<void, { connection: Connection | null }>(
        async ({ input }) => void stopped.push(input.connection),
      ),
    },
    NO_JITTER,
  );
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "connection.lost", error: new Error("killed") });
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  clock.increment(10_000);
  assert.equal(start.calls(), 1);
  assert.deepEqual(stopped, [null]);
});

test("close during a restart aborts its start and ends closed", async () => {
  let aborted = false;
  let calls = 0;
  const { actor, clock } = run(
    {
      start: fromPromise<Connection>(async ({ signal }) => {
        if (++calls === 1) return connection("first");
        return new Promise<Connection>((_, reject) =>
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          }),
        );
      }),
    },
    NO_JITTER,
  );
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "connection.lost", error: new Error("killed") });
  clock.increment(100);
  assert.deepEqual(actor.getSnapshot().value, { reconnecting: "restarting" });
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.equal(aborted, true);
});

test("with a restart policy a failed first start is retried with the backoff; a missing binary is not", async () => {
  const start = scripted([new Error("handshake refused"), connection("second")]);
  const { actor, clock, emitted } = run({ start: start.actor }, NO_JITTER);
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("reconnecting"), { timeout: 1000 });
  clock.increment(100);
  const ready = await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  assert.equal(ready.context.restarts, 1);
  assert.deepEqual(
    emitted.map((event) => event.type),
    ["restarting", "restarted"],
  );

  const missing = new BinaryNotFoundError("no codex");
  const other = run({ start: scripted([missing]).actor }, NO_JITTER);
  other.actor.send({ type: "start" });
  const idle = await waitFor(other.actor, (s) => s.matches("idle"), { timeout: 1000 });
  assert.equal(idle.context.error, missing);
});

test("a first start that exhausts the policy goes back to idle (not failed) with every cause, and can start again", async () => {
  const start = scripted([new Error("one"), new Error("two"), connection("third")]);
  const { actor, clock } = run({ start: start.actor }, { maxRestarts: 1, ...NO_JITTER });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("reconnecting"), { timeout: 1000 });
  clock.increment(100);
  const idle = await waitFor(actor, (s) => s.matches("idle"), { timeout: 1000 });
  assert.ok(idle.context.error instanceof RestartsExhaustedError);
  assert.deepEqual(
    idle.context.error.causes.map((cause) => cause.message),
    ["one", "two"],
  );
  assert.match(idle.context.error.message, /could not be started/);
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
});

test("maxRestarts 0 fails at the first loss, like no policy", async () => {
  const { actor } = run({}, { maxRestarts: 0 });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "connection.lost", error: new Error("killed") });
  assert.equal(actor.getSnapshot().value, "failed");
});

test("an app-server that stayed up for resetAfterMs earns a fresh attempt count; one that did not keeps counting", async () => {
  const start = scripted([connection("1"), connection("2"), connection("3"), connection("4")]);
  const { actor, clock } = run({ start: start.actor }, { maxRestarts: 5, resetAfterMs: 50, ...NO_JITTER });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "connection.lost", error: new Error("first loss") });
  clock.increment(100);
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "connection.lost", error: new Error("lost again at once") });
  assert.equal(actor.getSnapshot().context.attempt, 2, "a flapping app-server keeps the count going");
  assert.equal(actor.getSnapshot().context.delayMs, 200);
  clock.increment(200);
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  await delay(60);
  actor.send({ type: "connection.lost", error: new Error("lost after a stable stretch") });
  assert.equal(actor.getSnapshot().context.attempt, 1);
  assert.equal(actor.getSnapshot().context.delayMs, 100);
});
