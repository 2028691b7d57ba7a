// A stand-in engine worker for the engine's own supervision tests (not a model): it answers
// 'load' never ('hang'), or after filling its memory ('grow'), as a worker stuck in native code
// would. The mode comes from HOTPATH_TEST_WORKER_MODE.
const mode = process.env.HOTPATH_TEST_WORKER_MODE ?? 'hang';
const held = [];
process.on('message', (m) => {
  if (m.type !== 'req' || m.method !== 'load') return;
  if (mode === 'grow') {
    const t = setInterval(() => {
      const b = Buffer.alloc(32 * 1024 * 1024, 1); // touched: resident
      held.push(b);
      if (held.length > 64) clearInterval(t);
    }, 20);
  }
  // 'hang': never answer
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
