import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShortCache } from './shortCache';

test('ShortCache: an entry lives ttlMs, and expired entries are dropped when another is set', () => {
  let now = 0;
  const cache = new ShortCache<string, number | null>(1000, () => now);
  cache.set('a', 1);
  cache.set('b', null);
  now = 500;
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('b'), null, 'a null value is a value, not a miss');
  assert.equal(cache.get('c'), undefined);
  cache.set('a', 2); // set again: lives from now
  now = 1200;
  assert.equal(cache.get('b'), undefined, 'expired');
  assert.equal(cache.get('a'), 2);
  now = 5000;
  cache.set('c', 3);
  assert.equal(cache.size, 1, 'the expired entries are gone, not only ignored');
});
