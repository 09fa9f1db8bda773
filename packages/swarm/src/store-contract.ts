import { InvalidInputError, type TaskStore } from '@omc/core';
import { UnsupportedStoreError } from './swarm-errors.js';

/**
 * The versions of the `TaskStore` contract (a store's `specificationVersion`) this swarm works with. A
 * version is frozen once released: a change to the contract is a new version, added here once the swarm
 * supports it, beside the old ones.
 *
 * ### Examples
 * ```ts
 * import { TaskPool } from '@omc/store-sqlite';
 * import { SUPPORTED_STORE_SPECIFICATION_VERSIONS } from '@omc/swarm';
 *
 * const pool = new TaskPool(':memory:');
 * console.log(SUPPORTED_STORE_SPECIFICATION_VERSIONS.includes(pool.specificationVersion)); // true
 * ```
 */
export const SUPPORTED_STORE_SPECIFICATION_VERSIONS: readonly string[] = Object.freeze(['v3']);

/**
 * `store` if it is an object implementing a supported contract version; throws otherwise
 * (`InvalidInputError` for no object, `UnsupportedStoreError` for another version).
 * @internal
 */
export function checkStore(store: TaskStore): TaskStore {
  if (typeof store !== 'object' || store === null) {
    throw new InvalidInputError(
      'store',
      'new Swarm(store) needs a TaskStore (e.g. a TaskPool from @omc/store-sqlite).',
    );
  }
  const found: unknown = store.specificationVersion;
  if (typeof found !== 'string' || !SUPPORTED_STORE_SPECIFICATION_VERSIONS.includes(found)) {
    throw new UnsupportedStoreError(found, SUPPORTED_STORE_SPECIFICATION_VERSIONS);
  }
  return store;
}
