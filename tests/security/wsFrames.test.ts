// Malformed WebSocket frames from a token holder end that one connection, never the station process
// (each of these crashed it with "Unhandled 'error' event" before the socket had an 'error' listener).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_WS_FRAMES, previewAnswers, sendFrame, startPreviewChild, wsFrameArbitrary, type PreviewChild } from './wsFrames.js';

let preview: PreviewChild;
beforeAll(async () => {
  preview = await startPreviewChild();
}, 60_000);
afterAll(async () => {
  await preview?.stop();
});

const stillUp = async (): Promise<void> => {
  expect(preview.child.exitCode, preview.stderr()).toBeNull();
  expect(await previewAnswers(preview.port)).toBe(200);
};

describe('preview WebSocket under malformed frames', () => {
  for (const { name, bytes } of HOSTILE_WS_FRAMES) {
    it(`survives ${name} and answers afterwards`, async () => {
      await sendFrame(preview.port, bytes);
      await stillUp();
    });
  }

  it('survives 150 random frames and garbage', async () => {
    await fc.assert(
      fc.asyncProperty(wsFrameArbitrary, async (bytes) => {
        await sendFrame(preview.port, bytes);
        expect(preview.child.exitCode, preview.stderr()).toBeNull();
      }),
      { numRuns: 150 },
    );
    await stillUp();
  }, 120_000);
});
