// What a terminal would act on rather than show. One regex, tried left to right:
const CONTROLS = new RegExp(
  [
    // Control strings (OSC `ESC ]`, DCS `ESC P`, SOS `ESC X`, PM `ESC ^`, APC `ESC _`, or their 8-bit C1
    // forms) run to BEL or ST (`ESC \` or 0x9c). An unterminated one runs to the end, as a terminal would
    // swallow everything after it.
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)`,
    // CSI (`ESC [` or 0x9b): parameter bytes, intermediate bytes, a final byte.
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?`,
    // Any other escape sequence: intermediate bytes, then a final byte.
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]?`,
    // The remaining C0 controls but \t and \n (\r included: it lets later text overwrite earlier text),
    // DEL and the remaining C1 controls.
    String.raw`[\x00-\x08\x0b-\x1f\x7f-\x9f]`,
  ].join('|'),
  'g',
);

/**
 * `text` without what a terminal would execute instead of print: ANSI escape sequences (CSI such as colours,
 * cursor moves and clear screen; OSC such as window titles and `ESC ]8` hyperlinks; DCS, SOS, PM, APC and
 * two-byte escapes), their 8-bit C1 forms (`\x9b` …), every other C0 and C1 control character, and DEL.
 * `\n` and `\t` stay; `\r\n` becomes `\n`, and a bare `\r` (which would let the text after it overwrite
 * what came before) is removed. Ordinary Unicode, emoji and combining marks included, is kept. Use it on
 * task text (titles, results, errors) before echoing it to a terminal: a task must not be able to clear
 * the screen, retitle the window, forge earlier lines or hide a link target.
 *
 * ### Examples
 * ```ts
 * import { stripTerminalControls } from '@omc/agents';
 *
 * stripTerminalControls('\x1b[2J\x1b]0;pwned\x07Deploy \x1b[31mnow\x1b[0m'); // 'Deploy now'
 * stripTerminalControls('\x1b]8;;https://evil.example\x1b\\docs\x1b]8;;\x1b\\'); // 'docs'
 * console.log(`started ${stripTerminalControls(task.title)}`);
 * ```
 */
export function stripTerminalControls(text: string): string {
  return String(text).replace(/\r\n/g, '\n').replace(CONTROLS, '');
}
