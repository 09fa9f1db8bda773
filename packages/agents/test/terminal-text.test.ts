import { describe, expect, it } from 'vitest';
import { stripTerminalControls } from '../src/index.js';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

describe('stripTerminalControls', () => {
  it.each([
    ['SGR colours', `${ESC}[1;31mred${ESC}[0m text`, 'red text'],
    ['CSI clear screen and home', `${ESC}[2J${ESC}[Hfresh`, 'fresh'],
    [
      'CSI cursor up and erase line (forging an earlier line)',
      `ok${ESC}[1A${ESC}[2K${ESC}[1Gall tests passed`,
      'okall tests passed',
    ],
    ['CSI with private parameters', `${ESC}[?25l${ESC}[?1049hhidden cursor`, 'hidden cursor'],
    ['OSC window title ended by BEL', `${ESC}]0;title${BEL}after`, 'after'],
    ['OSC window title ended by ST', `${ESC}]2;title${ST}after`, 'after'],
    ['OSC 8 hyperlink hiding its target', `${ESC}]8;;https://evil.example/${ST}docs${ESC}]8;;${ST}`, 'docs'],
    ['OSC 52 clipboard write', `${ESC}]52;c;cm0gLXJmIH4=${BEL}x`, 'x'],
    ['DCS string', `${ESC}P1$qm${ST}y`, 'y'],
    ['APC and PM strings', `${ESC}_apc${ST}${ESC}^pm${ST}z`, 'z'],
    ['two-byte escapes (save cursor, reset terminal)', `${ESC}7a${ESC}8b${ESC}c`, 'ab'],
    ['charset designation', `${ESC}(0lqk${ESC}(B`, 'lqk'],
    ['8-bit C1 CSI (\\x9b)', '\x9b2Jcleared\x9b31mred', 'clearedred'],
    ['8-bit C1 OSC ended by C1 ST', '\x9d0;title\x9cafter', 'after'],
    ['other C1 controls', 'a\x85b\x8dc\x9ad', 'abcd'],
    ['bare \\r overwrite trick', 'rm -rf /\rsafe command', 'rm -rf /safe command'],
    ['backspace overwrite trick', 'evil\b\b\b\bgood', 'evilgood'],
    ['other C0 controls and DEL', 'a\x00b\x01c\x0bd\x0ce\x7ff', 'abcdef'],
    ['a lone ESC at the end', `end${ESC}`, 'end'],
    ['an unterminated OSC swallows the rest, as the terminal would', `before${ESC}]0;no end`, 'before'],
  ])('removes %s', (_name, input, expected) => {
    expect(stripTerminalControls(input)).toBe(expected);
  });

  it('keeps \\n and \\t, and turns \\r\\n into \\n', () => {
    expect(stripTerminalControls('a\tb\nc\r\nd')).toBe('a\tb\nc\nd');
  });

  it('keeps ordinary Unicode: accents, CJK, emoji, combining marks, right-to-left text', () => {
    const text = 'Café 東京 🚀👩‍💻 e\u0301 שלום — «quotes» ½ …';
    expect(stripTerminalControls(text)).toBe(text);
  });

  it('leaves text without controls unchanged, brackets and semicolons included', () => {
    const text = '[x] a;b ]0; 2J [31m ~ ^ _ \\';
    expect(stripTerminalControls(text)).toBe(text);
  });

  it('leaves nothing a terminal acts on, whatever the mix', () => {
    let input = '';
    for (let code = 0; code < 0xa0; code++) input += `${String.fromCharCode(code)}x`;
    const out = stripTerminalControls(input);
    const control = (c: number) => (c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c < 0xa0);
    expect([...out].filter((c) => control(c.charCodeAt(0)))).toEqual([]);
    // Each single control goes alone; the "x" after it stays (up to 0x1b, ESC, which takes the next byte).
    expect(out.startsWith(`${'x'.repeat(9)}\tx\nx${'x'.repeat(16)}`)).toBe(true);
  });
});
