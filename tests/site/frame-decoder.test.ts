/**
 * The frame decoder page (/frame-decoder) of the built site, in Debian's Chromium:
 * RFC 6455 §5.7's examples pasted and read field by field, a frame split across
 * two pastes, several frames in one, a broken rule named, the builder's bytes
 * decoded back (and a decoded frame edited in the builder), the keyboard, and a
 * 390 px wide phone in light and dark mode without sideways scrolling.
 *
 * Skipped locally (with the reason) when /usr/bin/chromium is missing; under
 * CI=true a missing browser fails instead.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium, type Chromium } from './support/chromium.ts';
import { buildDir, ensureFreshBuild } from './support/site-build.ts';
import { serveStatic, type StaticServer } from './support/static-server.ts';
import { horizontalOverflow, openWatched, type WatchedPage } from './support/watched-page.ts';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`Frame decoder browser tests skipped: ${skipReason}.`);

describe.skipIf(skipReason !== undefined)('the frame decoder in Chromium', () => {
  let server: StaticServer;
  let browser: Chromium;
  let opened: WatchedPage | undefined;

  beforeAll(async () => {
    ensureFreshBuild();
    server = await serveStatic(buildDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await opened?.page.close();
    expect(opened?.errors ?? [], 'no console error on the page').toEqual([]);
    opened = undefined;
  });

  async function open(address: string, viewport?: { width: number; height: number }): Promise<Page> {
    opened = await openWatched(browser.context, `${server.url}${address}`, viewport);
    return opened.page;
  }

  const decoderOf = (page: Page) => page.getByRole('region', { name: 'Decode bytes' });
  const builderOf = (page: Page) => page.getByRole('form', { name: 'Build a frame' });
  /** The fields of frame `index` (0-based) as the page shows them. */
  async function fieldsOf(decoder: Locator, index: number): Promise<Record<string, string>> {
    const frame = decoder.locator(`[data-frame="${index}"]`);
    await frame.waitFor();
    const fields: Record<string, string> = {};
    for (const field of await frame.locator('[data-field]').all()) fields[(await field.getAttribute('data-field'))!] = (await field.textContent())!;
    return fields;
  }
  const pasteInto = (decoder: Locator, hex: string) => decoder.getByRole('textbox').fill(hex);

  it('reads the unmasked and the masked "Hello" of RFC 6455 §5.7, field by field', async () => {
    const page = await open('/frame-decoder');
    const decoder = decoderOf(page);

    await pasteInto(decoder, '81 05 48 65 6c 6c 6f');
    expect(await fieldsOf(decoder, 0)).toEqual({ byte0: '1000 0001', fin: '1', rsv: '0 0 0', opcode: '0x1 text', byte1: '0000 0101', mask: '0', length: '5', payload: '"Hello"' });
    expect(await decoder.getByRole('status').textContent()).toBe('7 bytes: 1 frame, 1 complete message.');
    expect(await decoder.locator('[data-frame="0"]').textContent()).toContain('7-bit: in byte 1 itself');

    await pasteInto(decoder, '0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,\n0x7f, 0x9f, 0x4d, 0x51, 0x58');
    expect(await fieldsOf(decoder, 0)).toMatchObject({ byte1: '1000 0101', mask: '1', length: '5', key: '37 fa 21 3d', 'wire-payload': '7f 9f 4d 51 58', payload: '"Hello"' });
  });

  it('reads a frame split across two pastes, and several frames in one', async () => {
    const page = await open('/frame-decoder');
    const decoder = decoderOf(page);

    await pasteInto(decoder, '81 85 37 fa 21 3d 7f');
    expect(await decoder.locator('[data-truncated]').textContent()).toContain('11 bytes long and 7 have arrived: 4 bytes missing (payload)');
    await decoder.getByRole('button', { name: 'Keep these bytes, paste the next chunk' }).click();
    expect(await decoder.getByRole('textbox').inputValue()).toBe('');
    expect(await decoder.getByText('Chunk 2, in hex (after the 7 bytes kept)').count()).toBe(1);
    await pasteInto(decoder, '9f 4d 51 58');
    expect(await fieldsOf(decoder, 0)).toMatchObject({ key: '37 fa 21 3d', payload: '"Hello"' });
    expect(await decoder.locator('[data-truncated]').count()).toBe(0);

    await decoder.getByRole('button', { name: 'Start over' }).click();
    await pasteInto(decoder, '01 03 48 65 6c 89 00 80 02 6c 6f');
    expect(await fieldsOf(decoder, 0)).toMatchObject({ fin: '0', opcode: '0x1 text', payload: '"Hel"' });
    expect(await fieldsOf(decoder, 1)).toMatchObject({ fin: '1', opcode: '0x9 ping', length: '0' });
    expect(await fieldsOf(decoder, 2)).toMatchObject({ fin: '1', opcode: '0x0 continuation', payload: '"lo"' });
    expect(await decoder.locator('[data-message]').allTextContents()).toEqual(['text, 5 bytes, from frames 1 + 3: "Hello"']);
  });

  it('names the rule a frame breaks, and the character that is not hex', async () => {
    const page = await open('/frame-decoder');
    const decoder = decoderOf(page);
    const cases: ReadonlyArray<[string, string, RegExp]> = [
      ['c1 05 48 65 6c 6c 6f', 'rsv-without-extension', /Byte 0 breaks RFC 6455 §5\.2\. RSV1 is set, and no extension was negotiated/],
      ['83 00', 'reserved-opcode', /Opcode 0x3 is reserved/],
      ['09 00', 'fragmented-control-frame', /§5\.5\. A ping frame with FIN 0/],
      ['81 7e 00 05 48 65 6c 6c 6f', 'non-minimal-length', /The length 5 is written in the 16-bit form, but it fits the 7-bit one/],
      ['82 7f 80 00 00 00 00 00 00 01 00', 'length-top-bit-set', /Byte 2 breaks RFC 6455 §5\.2\. The 64-bit payload length/],
    ];
    for (const [hex, rule, message] of cases) {
      await pasteInto(decoder, hex);
      const alert = decoder.locator('[data-violation]');
      expect(await alert.getAttribute('data-violation'), hex).toBe(rule);
      expect(await alert.textContent(), hex).toMatch(message);
    }
    await pasteInto(decoder, '81 0g');
    expect(await decoder.getByRole('alert').textContent()).toContain('"g" (character 5) is not a hex digit');
    expect(await decoder.getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
  });

  it('builds the bytes from the fields, decodes them back, and edits a decoded frame', async () => {
    const page = await open('/frame-decoder');
    const builder = builderOf(page);
    const decoder = decoderOf(page);
    const bytes = builder.locator('[data-built-bytes]');

    // The builder starts as RFC 6455's masked "Hello".
    expect(await bytes.textContent()).toBe('81 85 37 fa 21 3d 7f 9f 4d 51 58');
    await builder.getByLabel('MASK', { exact: true }).uncheck();
    await builder.getByLabel('Opcode').selectOption({ label: '0x9 ping' });
    await builder.getByLabel('Payload text').fill('Hi');
    expect(await bytes.textContent()).toBe('89 02 48 69');

    await builder.getByLabel('Length encoding').selectOption('16-bit');
    expect(await bytes.textContent()).toBe('89 7e 00 02 48 69');
    await builder.getByRole('button', { name: 'Decode these bytes' }).click();
    expect(await decoder.getByRole('textbox').inputValue()).toBe('89 7e 00 02 48 69');
    expect(await decoder.locator('[data-violation]').getAttribute('data-violation')).toBe('non-minimal-length');

    await builder.getByLabel('Length encoding').selectOption('shortest');
    await builder.getByLabel('close code and reason').check();
    await builder.getByLabel('Opcode').selectOption({ label: '0x8 close' });
    await builder.getByLabel('Status code').fill('1000');
    await builder.getByLabel('Reason', { exact: true }).fill('bye');
    expect(await bytes.textContent()).toBe('88 05 03 e8 62 79 65');
    await builder.getByLabel('Status code').fill('70000');
    expect(await builder.getByRole('alert').textContent()).toContain('A status code is a 16-bit number (0 to 65535), not "70000".');

    // Decoder → builder: the fields of a decoded frame give back its bytes.
    await pasteInto(decoder, '81 85 37 fa 21 3d 7f 9f 4d 51 58');
    await decoder.getByRole('button', { name: 'Edit frame 1 in the builder' }).click();
    expect(await builder.getByLabel('Opcode').inputValue()).toBe('1');
    expect(await builder.getByLabel('Masking key').inputValue()).toBe('37 fa 21 3d');
    expect(await builder.getByLabel('Payload text').inputValue()).toBe('Hello');
    expect(await bytes.textContent()).toBe('81 85 37 fa 21 3d 7f 9f 4d 51 58');
  });

  it('works from the keyboard, and opens with the bytes of its address', async () => {
    const page = await open('/frame-decoder?hex=8a%2000');
    const decoder = decoderOf(page);
    expect(await fieldsOf(decoder, 0)).toMatchObject({ opcode: '0xa pong' });

    await decoder.getByRole('textbox').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('81 85 37 fa 21');
    expect(await decoder.locator('[data-truncated]').textContent()).toContain('(masking key)');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // "Keep these bytes, paste the next chunk"
    await decoder.getByRole('textbox').focus();
    await page.keyboard.type('3d 7f 9f 4d 51 58');
    expect(await fieldsOf(decoder, 0)).toMatchObject({ payload: '"Hello"' });
    expect(new URL(page.url()).searchParams.get('hex')).toBe('3d 7f 9f 4d 51 58');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`fits a 390 px wide phone in ${colorScheme} mode, long frames included`, async () => {
      const page = await open('/frame-decoder', { width: 390, height: 844 });
      await page.emulateMedia({ colorScheme });
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(colorScheme);
      const decoder = decoderOf(page);
      await decoder.getByRole('button', { name: '256 bytes, 16-bit length' }).click();
      await decoder.locator('[data-frame="0"]').waitFor();
      expect(await horizontalOverflow(page), 'sideways scrolling, in CSS pixels').toBe(0);
      await pasteInto(decoder, 'c1 05 48 65 6c 6c 6f');
      await decoder.locator('[data-violation]').waitFor();
      expect(await horizontalOverflow(page), 'sideways scrolling with an error shown').toBe(0);
      await builderOf(page).scrollIntoViewIfNeeded();
      expect(await horizontalOverflow(page), 'sideways scrolling with the builder in view').toBe(0);
    });
  }
});
