// A TypeDoc plugin: name each entry point's module after its package and subpath (`@omc/core`,
// `@omc/core/testing`) instead of its file path (`core/src`), read from the nearest package.json.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    if (file === undefined) return;
    const { name } = JSON.parse(readFileSync(join(dirname(file), '..', 'package.json'), 'utf8'));
    const entry = basename(file, '.ts');
    reflection.name = entry === 'index' ? name : `${name}/${entry}`;
  });
}
