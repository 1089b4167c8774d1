// Medians and percentiles for the benchmarks (nearest-rank, no interpolation).

/** @param {number[]} values @returns {number} */
export function median(values) {
  return /** @type {number} */ ([...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)])
}

/** @param {number[]} values @param {number} p a fraction, 0.99 for p99 @returns {number} */
export function percentile(values, p) {
  return /** @type {number} */ ([...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)])
}
