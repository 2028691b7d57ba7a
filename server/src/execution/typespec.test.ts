import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseType, showType, typeFromName, TypeSyntaxError } from './typespec';

test('Python annotations parse to type specs', () => {
  assert.deepEqual(parseType('list[int]', 'python'), { k: 'list', of: { k: 'int' } });
  assert.deepEqual(parseType('typing.Dict[str, List[float]]', 'python'), { k: 'dict', key: { k: 'str' }, value: { k: 'list', of: { k: 'float' } } });
  assert.deepEqual(parseType('Optional[set[int]]', 'python'), { k: 'set', of: { k: 'int' } });
  assert.deepEqual(parseType('tuple[int, str]', 'python'), { k: 'tuple', items: [{ k: 'int' }, { k: 'str' }] });
  assert.deepEqual(parseType('tuple[int, ...]', 'python'), { k: 'vtuple', of: { k: 'int' } });
  assert.deepEqual(parseType('"list[str]"', 'python'), { k: 'list', of: { k: 'str' } });
  assert.deepEqual(parseType('int | None', 'python'), { k: 'int' });
  assert.equal(showType(parseType('Sequence[tuple[int, bool]]', 'python'), 'python'), 'list[tuple[int, bool]]');
});

test('TypeScript and JSDoc types parse to type specs', () => {
  assert.deepEqual(parseType('number[][]', 'ecmascript'), { k: 'list', of: { k: 'list', of: { k: 'int' } } });
  assert.deepEqual(parseType('Array<string>', 'ecmascript'), { k: 'list', of: { k: 'str' } });
  assert.deepEqual(parseType('Map<string, number[]>', 'ecmascript'), { k: 'map', key: { k: 'str' }, value: { k: 'list', of: { k: 'int' } } });
  assert.deepEqual(parseType('Record<string, boolean>', 'ecmascript'), { k: 'dict', key: { k: 'str' }, value: { k: 'bool' } });
  assert.deepEqual(parseType('{ [key: string]: number }', 'ecmascript'), { k: 'dict', key: { k: 'str' }, value: { k: 'int' } });
  assert.deepEqual(parseType('[number, string]', 'ecmascript'), { k: 'tuple', items: [{ k: 'int' }, { k: 'str' }] });
  assert.deepEqual(parseType('ReadonlySet<number> | undefined', 'ecmascript'), { k: 'set', of: { k: 'int' } });
  assert.deepEqual(parseType('?Array.<number>', 'ecmascript').k, 'list');
  assert.equal(showType(parseType('Set<string>', 'ecmascript'), 'ecmascript'), 'Set<string>');
});

test('unknown types and object literals are refused with a message naming the type', () => {
  assert.throws(() => parseType('Widget', 'python'), (e: Error) => e instanceof TypeSyntaxError && /Widget/.test(e.message));
  assert.throws(() => parseType('{ a: number }', 'ecmascript'), /generator/);
  assert.throws(() => parseType('list[int', 'python'), TypeSyntaxError);
});

test('parameter names give a type when nothing else does', () => {
  assert.deepEqual(typeFromName('nums'), { k: 'list', of: { k: 'int' } });
  assert.deepEqual(typeFromName('n'), { k: 'int' });
  assert.equal(typeFromName('widget'), undefined);
});
