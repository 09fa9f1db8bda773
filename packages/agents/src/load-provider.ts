import { createRequire } from 'node:module';
import { ProviderNotInstalledError } from './errors.js';

/**
 * Load a provider package (`@ai-sdk/openai`, `@ai-sdk/openai-compatible`), an optional peer dependency,
 * only when a configuration chooses it. Synchronous, so `createModel` stays synchronous: `require` loads
 * the CommonJS builds of the older majors and, on Node 20.19+ and 22.12+, the ES-module-only newer ones.
 * `from` is where resolution starts: this module, i.e. next to `@omc/agents`.
 * @internal
 */
export function loadProvider<T>(provider: string, packageName: string, from: string = import.meta.url): T {
  try {
    return createRequire(from)(packageName) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // Only the package itself missing; a dependency missing inside it is a broken install, reported as is.
    if (code === 'MODULE_NOT_FOUND' && message.includes(`'${packageName}'`)) {
      throw new ProviderNotInstalledError(provider, packageName, error);
    }
    throw error;
  }
}
