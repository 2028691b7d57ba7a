// Layout.oneThread decided from the engine (loneToken.ts): a lone token is vec only with one thread,
// checked weight types and no batch kernel on the CPU backend that takes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuFeatures, loneTokenIsVec } from './loneToken';

// llama.cpp's system info as node-llama-cpp 3.22.1 reports it on this project's x86 machines
const X86 = 'CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | LLAMAFILE = 1 | REPACK = 1 | ';
const SMOLLM2 = Array.from({ length: 7 }, () => 'Q4_1'); // attn_q/k/v/output, ffn_gate/up/down

test('system info: the features reported on', () => {
  assert.deepEqual([...cpuFeatures(X86)].sort(), ['AVX', 'AVX2', 'BMI2', 'F16C', 'FMA', 'LLAMAFILE', 'REPACK', 'SSE3', 'SSSE3']);
  assert.deepEqual([...cpuFeatures('CPU : NEON = 1 | ARM_FMA = 1 | SVE_CNT = 16 | MATMUL_INT8 = 0 |')].sort(), ['ARM_FMA', 'NEON']);
});

test('SmolLM2 (Q4_1 blocks) with one thread on x86 without AMX: a lone token is vec', () => {
  assert.equal(loneTokenIsVec({ threads: 1, weightTypes: SMOLLM2, systemInfo: X86 }).oneThread, true);
  assert.equal(loneTokenIsVec({ threads: 1, weightTypes: ['Q5_1'], systemInfo: 'CPU : NEON = 1 | ARM_FMA = 1 | DOTPROD = 1 | REPACK = 1 |' }).oneThread, true);
});

test('not vec: more threads, a kernel for batches that takes the weights, unchecked types or CPUs', () => {
  const no = (facts: Parameters<typeof loneTokenIsVec>[0], why: RegExp) => {
    const d = loneTokenIsVec(facts);
    assert.equal(d.oneThread, false, d.why);
    assert.match(d.why, why);
  };
  no({ threads: 2, weightTypes: SMOLLM2, systemInfo: X86 }, /2 threads/);
  no({ threads: 1, weightTypes: SMOLLM2, systemInfo: X86.replace('REPACK = 1 |', 'AMX_INT8 = 1 | REPACK = 1 |') }, /AMX_INT8/);
  no({ threads: 1, weightTypes: SMOLLM2, systemInfo: 'CPU : NEON = 1 | MATMUL_INT8 = 1 | REPACK = 1 |' }, /MATMUL_INT8/);
  no({ threads: 1, weightTypes: [...SMOLLM2, 'Q4_0'], systemInfo: X86 }, /Q4_0 weights/);
  no({ threads: 1, weightTypes: ['F32'], systemInfo: X86 }, /F32 weights: not checked/); // the generated test models
  no({ threads: 1, weightTypes: SMOLLM2, systemInfo: 'CPU : VSX = 1 |' }, /not checked/); // POWER10's sgemm takes lone tokens
  no({ threads: 1, weightTypes: [], systemInfo: X86 }, /no weight types/);
});
