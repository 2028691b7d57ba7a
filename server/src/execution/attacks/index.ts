// The attack suite: hostile functions, in Python and JavaScript, each run through the real
// engine under a given isolation, and what each one reached checked from outside. Used by the
// tests (../attacks.test.ts: every attack contained or rejected under every isolation the machine
// offers) and by `npm run bench -- sandbox` (the table in docs/execution.md, with `none` too,
// to show what an unsandboxed run leaves open).
//
// An attack is contained when nothing it tried had an effect outside the run (no file written
// outside, no secret in what it could print, no connection received, no process left) or when
// the engine rejected it with a message saying why (a limit, a replaced clock, a memo seen in
// the module's state, a result that changes between calls).

import { connectLoopback, detachedSurvivor, forkLoop, ignoreSigterm, importSideEffects, memoryHog, outputFlood, readEnvironment, readSecrets, writeOutside } from './containment';
import { cachedHelper, clockPatching, globalMutation, hiddenMemo, memoisation, nonDeterminism } from './measurement';
import type { Attack } from './support';

export { survivors, type Attack, type AttackEnv, type AttackOutcome } from './support';

export const ATTACKS: Attack[] = (['python', 'javascript'] as const).flatMap((l) => [
  writeOutside(l),
  readSecrets(l),
  readEnvironment(l),
  connectLoopback(l),
  detachedSurvivor(l),
  ignoreSigterm(l),
  forkLoop(l),
  outputFlood(l),
  memoryHog(l),
  importSideEffects(l),
  clockPatching(l),
  memoisation(l),
  hiddenMemo(l),
  cachedHelper(l),
  nonDeterminism(l),
  globalMutation(l),
]);
