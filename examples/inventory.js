// Inventory helpers with the kind of slowness that hides in real code.

/**
 * @param {string[]} expected
 * @param {string[]} received
 */
function missingSkus(expected, received) {
  const missing = [];
  for (const sku of expected) {
    if (!received.includes(sku)) missing.push(sku);
  }
  return missing;
}

function indexById(items) {
  return items.reduce((acc, item) => ({ ...acc, [item.id]: item }), {});
}

function drain(tasks) {
  const queue = [...tasks];
  const order = [];
  while (queue.length > 0) {
    order.push(queue.shift());
  }
  return order;
}

function totalWeight(items) {
  let total = 0;
  for (const item of items) total += item.weight;
  return total;
}

module.exports = { missingSkus, indexById, drain, totalWeight };
