/**
 * What `checkIntegrityOnOpen` costs: `new TaskPool(path)` on a closed file of 10 000 and of 100 000 tasks
 * (at scale 1), with no check, `'quick'` (`PRAGMA quick_check`) and `'full'` (`PRAGMA integrity_check`),
 * taking turns in the same rounds. Each run opens and closes the pool; ms, lower is better. omc column only.
 *
 * @module
 */
import { TaskPool } from '@omc/store-sqlite';
import { chunk, fmtCount, makeInputs } from './inputs.mjs';
import { interleaved, timeMs, withTempDb } from './measure.mjs';

/** @typedef {{ name: string, check: false | 'quick' | 'full' }} Variant */

/** @type {Variant[]} */
const VARIANTS = [
  { name: 'open, no check', check: false },
  { name: 'open, quick_check', check: 'quick' },
  { name: 'open, integrity_check', check: 'full' },
];

/**
 * The sizes measured: 10 000 and 100 000 tasks at scale 1.
 *
 * @param {import('./inputs.mjs').BenchSizes} s
 * @returns {number[]}
 */
const sizesOf = (s) => [Math.max(1_000, s.batchCreates / 10), s.batchCreates];

/** @type {import('./workloads.mjs').Workload} */
export const integrityOnOpen = {
  id: 'integrity',
  rows: (s) =>
    sizesOf(s).flatMap((count) =>
      VARIANTS.map((variant) => ({
        id: `open-${variant.check || 'none'}-${count}`,
        label: `${variant.name} (${fmtCount(count)} tasks), file`,
        unit: 'ms',
        better: /** @type {const} */ ('lower'),
        only: ['omc'],
      })),
    ),
  measure(_subjects, s) {
    return withTempDb((first) => {
      // One file per size, filled once (not timed); every variant opens the same files.
      const files = sizesOf(s).map((count, i) => {
        const path = first.replace(/\.db$/, `-${i}.db`);
        const pool = new TaskPool(path);
        for (const group of chunk(makeInputs(count), s.batchSize)) pool.createTasks(group);
        pool.close();
        return { count, path };
      });
      /** @param {Variant} variant */
      const once = (variant) =>
        Object.fromEntries(
          files.map(({ count, path }) => {
            const ms = timeMs(() => new TaskPool(path, { checkIntegrityOnOpen: variant.check }).close());
            return [String(count), { value: ms }];
          }),
        );
      const byVariant = interleaved(
        VARIANTS,
        files.map(({ count }) => ({ id: String(count), better: /** @type {const} */ ('lower') })),
        (variant) => once(variant),
        (variant) => once(variant),
      );
      /** @type {import('./measure.mjs').Measured} */
      const omc = {};
      for (const variant of VARIANTS) {
        const measured = byVariant[variant.name];
        for (const { count } of files) {
          const id = `open-${variant.check || 'none'}-${count}`;
          omc[id] =
            'error' in measured && typeof measured.error === 'string'
              ? { error: measured.error }
              : /** @type {import('./measure.mjs').Run} */ (
                  /** @type {import('./measure.mjs').Measured} */ (measured)[String(count)]
                );
        }
      }
      return { omc };
    });
  },
};
