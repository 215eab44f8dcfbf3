import assert from "node:assert/strict";
import { test } from "node:test";
import { createActor, fromPromise, waitFor } from "xstate";
import { clientLifecycleMachine } from "../../src/machines/client-lifecycle.js";

function run(actors: Partial<Parameters<typeof clientLifecycleMachine.provide>[0]["actors"]> = {}) {
  const machine = clientLifecycleMachine.provide({
    actors: {
      start: fromPromise<void>(async () => {}),
      stop: fromPromise<void>(async () => {}),
      ...actors,
    },
  });
  const errors: unknown[] = [];
  const actor = createActor(machine);
  actor.subscribe({ error: (err) => errors.push(err) });
  actor.start();
  return { actor, errors };
}

test("the client starts idle and spawns nothing until started", () => {
  let started = 0;
  const { actor } = run({ start: fromPromise<void>(async () => void started++) });
  assert.equal(actor.getSnapshot().value, "idle");
  assert.equal(started, 0);
});

test("start → ready once the start actor resolves", async () => {
  const { actor, errors } = run();
  actor.send({ type: "start" });
  assert.equal(actor.getSnapshot().value, "starting");
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  assert.deepEqual(errors, []);
});

test("a failing start moves to failed and records why", async () => {
  const boom = new Error("spawn failed");
  const { actor } = run({
    start: fromPromise<void>(async () => {
      throw boom;
    }),
  });
  actor.send({ type: "start" });
  const snap = await waitFor(actor, (s) => s.matches("failed"), { timeout: 1000 });
  assert.equal(snap.context.error, boom);
  assert.equal(snap.can({ type: "start" }), false);
});

test("close from idle goes straight to closed without spawning or stopping", () => {
  let stops = 0;
  const { actor } = run({ stop: fromPromise<void>(async () => void stops++) });
  actor.send({ type: "close" });
  assert.equal(actor.getSnapshot().value, "closed");
  assert.equal(actor.getSnapshot().status, "done");
  assert.equal(stops, 0);
});

test("close during starting aborts the start actor's signal and ends closed", async () => {
  let aborted = false;
  const { actor } = run({
    start: fromPromise<void>(
      ({ signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
    ),
  });
  actor.send({ type: "start" });
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.equal(aborted, true);
});

test("a lost connection in ready moves to failed; close from failed still stops and ends closed", async () => {
  let stops = 0;
  const { actor } = run({ stop: fromPromise<void>(async () => void stops++) });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  const lost = new Error("app-server exited with code 1");
  actor.send({ type: "connection.lost", error: lost });
  assert.equal(actor.getSnapshot().value, "failed");
  assert.equal(actor.getSnapshot().context.error, lost);
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.equal(stops, 1);
});

test("a stop actor that throws still ends closed, and the actor reports no error", async () => {
  const { actor, errors } = run({
    stop: fromPromise<void>(async () => {
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
  const { actor } = run({ stop: fromPromise<void>(async () => void stops++) });
  actor.send({ type: "start" });
  await waitFor(actor, (s) => s.matches("ready"), { timeout: 1000 });
  actor.send({ type: "close" });
  actor.send({ type: "close" });
  await waitFor(actor, (s) => s.matches("closed"), { timeout: 1000 });
  assert.equal(stops, 1);
});
