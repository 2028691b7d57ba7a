import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ecmascriptTypes } from '../languages/ecmascript/execution/types';
import { pythonTypes } from '../languages/python/execution/types';
import { parseType, showType, typeFromName, TypeSyntaxError } from './typespec';

test('Python annotations parse to type specs', () => {
  assert.deepEqual(parseType('list[int]', pythonTypes), { k: 'list', of: { k: 'int' } });
  assert.deepEqual(parseType('typing.Dict[str, List[float]]', pythonTypes), { k: 'dict', key: { k: 'str' }, value: { k: 'list', of: { k: 'float' } } });
  assert.deepEqual(parseType('Optional[set[int]]', pythonTypes), { k: 'set', of: { k: 'int' } });
  assert.deepEqual(parseType('tuple[int, str]', pythonTypes), { k: 'tuple', items: [{ k: 'int' }, { k: 'str' }] });
  assert.deepEqual(parseType('tuple[int, ...]', pythonTypes), { k: 'vtuple', of: { k: 'int' } });
  assert.deepEqual(parseType('"list[str]"', pythonTypes), { k: 'list', of: { k: 'str' } });
  assert.deepEqual(parseType('int | None', pythonTypes), { k: 'int' });
  assert.equal(showType(parseType('Sequence[tuple[int, bool]]', pythonTypes), pythonTypes), 'list[tuple[int, bool]]');
});

test('TypeScript and JSDoc types parse to type specs', () => {
  assert.deepEqual(parseType('number[][]', ecmascriptTypes), { k: 'list', of: { k: 'list', of: { k: 'int' } } });
  assert.deepEqual(parseType('Array<string>', ecmascriptTypes), { k: 'list', of: { k: 'str' } });
  assert.deepEqual(parseType('Map<string, number[]>', ecmascriptTypes), { k: 'map', key: { k: 'str' }, value: { k: 'list', of: { k: 'int' } } });
  assert.deepEqual(parseType('Record<string, boolean>', ecmascriptTypes), { k: 'dict', key: { k: 'str' }, value: { k: 'bool' } });
  assert.deepEqual(parseType('{ [key: string]: number }', ecmascriptTypes), { k: 'dict', key: { k: 'str' }, value: { k: 'int' } });
  assert.deepEqual(parseType('[number, string]', ecmascriptTypes), { k: 'tuple', items: [{ k: 'int' }, { k: 'str' }] });
  assert.deepEqual(parseType('ReadonlySet<number> | undefined', ecmascriptTypes), { k: 'set', of: { k: 'int' } });
  assert.deepEqual(parseType('?Array.<number>', ecmascriptTypes).k, 'list');
  assert.equal(showType(parseType('Set<string>', ecmascriptTypes), ecmascriptTypes), 'Set<string>');
});

test('unknown types are refused with a message naming the type; object literal and function types parse', () => {
  assert.throws(() => parseType('Widget', pythonTypes), (e: Error) => e instanceof TypeSyntaxError && /Widget/.test(e.message));
  assert.deepEqual(parseType('Widget', pythonTypes, (name) => (name === 'Widget' ? { k: 'str' } : undefined)), { k: 'str' });
  assert.deepEqual(parseType('{ a: number; b?: string[]; f(x: number): boolean }', ecmascriptTypes), {
    k: 'record',
    fields: [
      { name: 'a', type: { k: 'int' } },
      { name: 'b', type: { k: 'list', of: { k: 'str' } } },
      { name: 'f', type: { k: 'fn', returns: { k: 'bool' } } },
    ],
  });
  assert.deepEqual(parseType('(id: number) => Promise<string>', ecmascriptTypes), { k: 'fn', returns: { k: 'str' }, async: true });
  assert.throws(() => parseType('{ a: number', ecmascriptTypes), TypeSyntaxError);
  assert.throws(() => parseType('list[int', pythonTypes), TypeSyntaxError);
});

test('parameter names give a type when nothing else does', () => {
  assert.deepEqual(typeFromName('nums'), { k: 'list', of: { k: 'int' } });
  assert.deepEqual(typeFromName('n'), { k: 'int' });
  assert.equal(typeFromName('widget'), undefined);
});
