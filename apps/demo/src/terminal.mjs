// Task text (titles, results, errors) comes from whoever created the task: before it reaches the terminal,
// everything the terminal would act on instead of print is removed.
import { stripTerminalControls } from '@omc/sdk';

/**
 * Task text as one line of the terminal: no escape sequences or control characters (a title must not clear
 * the screen, retitle the window or hide a link), and newlines and tabs as spaces, so it cannot forge the
 * next log line or break the board's redraw.
 * @param {unknown} text
 */
export function oneLine(text) {
  return stripTerminalControls(String(text ?? '')).replace(/[\n\t]+/g, ' ');
}

/**
 * Task text that may span lines (an error with its stderr), without anything the terminal would act on.
 * @param {unknown} text
 */
export function safeText(text) {
  return stripTerminalControls(String(text ?? ''));
}
